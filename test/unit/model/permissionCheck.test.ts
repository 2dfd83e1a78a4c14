import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hasPrivilege, summarizeAccess } from '../../../src/model/permissionCheck';

describe('privileges from /access/permissions', () => {
  const perms = {
    '/': { 'Sys.Audit': true, 'VM.Audit': true },
    '/vms': { 'VM.PowerMgmt': true },
    '/vms/200': { 'VM.Snapshot': false },
    '/pool/dev': { 'VM.Snapshot.Rollback': true },
    '/nodes/pve1': { 'Sys.Modify': false },
  };

  it('propagated entries apply to children', () => {
    assert.ok(hasPrivilege(perms, '/vms/100', 'VM.Audit'));
    assert.ok(hasPrivilege(perms, '/vms/100', 'VM.PowerMgmt'));
  });

  it('an exact entry applies even without propagation', () => {
    assert.ok(hasPrivilege(perms, '/vms/200', 'VM.Snapshot'));
    assert.ok(!hasPrivilege(perms, '/vms/100', 'VM.Snapshot'));
    assert.ok(hasPrivilege(perms, '/nodes/pve1', 'Sys.Modify'));
    assert.ok(!hasPrivilege(perms, '/nodes/pve1/x', 'Sys.Modify'));
  });

  it('pool ACLs count for pool members; A|B means either', () => {
    assert.ok(hasPrivilege(perms, '/vms/300', 'VM.Snapshot|VM.Snapshot.Rollback', ['/pool/dev']));
    assert.ok(!hasPrivilege(perms, '/vms/300', 'VM.Snapshot|VM.Snapshot.Rollback'));
  });

  it('summarizes what a token allows', () => {
    assert.deepEqual(summarizeAccess(perms), { audit: true, power: true, snapshots: true });
    assert.deepEqual(summarizeAccess({ '/': { 'VM.Audit': true } }), { audit: true, power: false, snapshots: false });
  });
});
