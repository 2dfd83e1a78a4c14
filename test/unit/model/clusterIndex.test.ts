import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseClusterResources } from '../../../src/api/schemas/resources';
import { findGuestByVmid, indexResources, parseTags } from '../../../src/model/clusterIndex';
import { EMPTY_FILTER, groupKeys, matchesFilter } from '../../../src/model/guestFilter';

// NOTES.md §14 A, abridged: a 3-node cluster with pve3 offline.
const SAMPLE = [
  { id: '/pool/dev', type: 'pool', pool: 'dev' },
  { id: 'qemu/100', type: 'qemu', vmid: 100, node: 'pve1', name: 'web01', status: 'running', template: 0, pool: 'dev', tags: 'prod;web', hastate: 'started', cpu: 0.02, maxmem: 2147483648, mem: 1180762112 },
  { id: 'lxc/101', type: 'lxc', vmid: 101, node: 'pve2', name: 'dns01', status: 'stopped', template: 0, lock: 'backup' },
  { id: 'qemu/102', type: 'qemu', vmid: 102, node: 'pve3', status: 'unknown' },
  { id: 'qemu/9000', type: 'qemu', vmid: 9000, node: 'pve2', name: 'tpl-debian', status: 'stopped', template: 1 },
  { id: 'node/pve1', type: 'node', node: 'pve1', status: 'online' },
  { id: 'node/pve2', type: 'node', node: 'pve2', status: 'online' },
  { id: 'node/pve3', type: 'node', node: 'pve3', status: 'offline' },
  { id: 'storage/pve1/local-lvm', type: 'storage', storage: 'local-lvm', node: 'pve1', status: 'available', shared: 0 },
  { id: 'network/pve1/zone/localnetwork', type: 'network', network: 'localnetwork', node: 'pve1', status: 'ok' },
  { id: 'weird/1', type: 'openvz', vmid: 1 },
  { id: 'qemu/103', type: 'qemu', vmid: 'abc', node: 'pve1', status: 'running' },
];

describe('cluster index', () => {
  const issues: string[] = [];
  const index = indexResources(parseClusterResources(SAMPLE, (i) => issues.push(`${i.problem}@${i.index ?? ''}`)));

  it('keeps good items, drops and reports the unknown type and the malformed one', () => {
    assert.equal(index.guests.size, 4);
    assert.deepEqual(issues.sort(), ['malformedItem@11', 'unknownType@10']);
  });

  it('finds a guest by VMID with its real type and node', () => {
    const ct = findGuestByVmid(index, 101);
    assert.equal(ct?.type, 'lxc');
    assert.equal(ct.node, 'pve2');
    assert.equal(findGuestByVmid(index, 555), undefined);
  });

  it('marks guests of the offline node unknown', () => {
    assert.equal(findGuestByVmid(index, 102)?.power, 'unknown');
    assert.equal(index.nodes.get('pve3')?.online, false);
  });

  it('parses tags like PVE does', () => {
    assert.deepEqual(parseTags('prod;web'), ['prod', 'web']);
    assert.deepEqual(parseTags('a, b c;;a'), ['a', 'b', 'c']);
    assert.deepEqual(parseTags(undefined), []);
  });

  it('filters by text, VMID prefix, state, type, tag and templates', () => {
    const g = (vmid: number) => findGuestByVmid(index, vmid)!;
    assert.ok(matchesFilter(g(100), { ...EMPTY_FILTER, text: 'WEB' }));
    assert.ok(matchesFilter(g(100), { ...EMPTY_FILTER, text: '10' }));
    assert.ok(!matchesFilter(g(9000), { ...EMPTY_FILTER, text: '10' }));
    assert.ok(!matchesFilter(g(101), { ...EMPTY_FILTER, states: ['running'] }));
    assert.ok(matchesFilter(g(101), { ...EMPTY_FILTER, types: ['lxc'] }));
    assert.ok(matchesFilter(g(100), { ...EMPTY_FILTER, tags: ['web'] }));
    assert.ok(!matchesFilter(g(9000), { ...EMPTY_FILTER, showTemplates: false }));
  });

  it('groups by node, tag and pool', () => {
    const g = findGuestByVmid(index, 100)!;
    assert.deepEqual(groupKeys(g, 'node'), ['pve1']);
    assert.deepEqual(groupKeys(g, 'tag'), ['prod', 'web']);
    assert.deepEqual(groupKeys(g, 'pool'), ['dev']);
    assert.deepEqual(groupKeys(findGuestByVmid(index, 101)!, 'tag'), ['']);
  });
});
