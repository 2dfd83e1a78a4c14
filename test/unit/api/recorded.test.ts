import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as z from 'zod/mini';
import { unwrapEnvelope } from '../../../src/api/envelope';
import { PveError } from '../../../src/api/errors';
import { clusterStatusItemSchema, nodeListItemSchema, nodeStatusSchema, nodeStorageSchema, storageConfigSchema, versionSchema } from '../../../src/api/schemas/cluster';
import { guestConfigSchema, guestStatusSchema, snapshotSchema } from '../../../src/api/schemas/guest';
import { parseList, parseObject, type SchemaIssue } from '../../../src/api/schemas/parse';
import { parsePermissions } from '../../../src/api/schemas/permissions';
import { parseClusterResources } from '../../../src/api/schemas/resources';
import { taskListItemSchema, taskLogLineSchema, taskStatusSchema } from '../../../src/api/schemas/tasks';
import { tryParseUpid } from '../../../src/api/upid';

/**
 * Responses recorded from real PVE servers (6.2 to 9.1) by other projects, see
 * test/fixtures/recorded/INDEX.md. Every one must go through our envelope and schemas without
 * dropping a single item: they are the ground truth for the quirks (string vmids, quoted numbers).
 */
interface Recorded {
  method: string;
  path: string | null;
  status: number;
  reason: string | null;
  body: unknown;
}

const DIR = join(__dirname, '../../../../test/fixtures/recorded');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));

function load(file: string): Recorded {
  return JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Recorded;
}

type Parser = (data: unknown, issues: SchemaIssue[]) => number;
const list = (schema: z.ZodMiniType) => (data: unknown, issues: SchemaIssue[]) => parseList(schema, data, 'recorded', (i) => issues.push(i)).length;
const object = (schema: z.ZodMiniType) => (data: unknown, issues: SchemaIssue[]) => {
  parseObject(schema, data, 'recorded', (i) => issues.push(i));
  return 1;
};

/** Which schema a recorded path answers to. */
function parserFor(method: string, path: string): Parser | undefined {
  if (method !== 'GET') return undefined;
  if (path === '/version') return object(versionSchema);
  if (path === '/nodes') return list(nodeListItemSchema);
  if (path === '/cluster/status') return list(clusterStatusItemSchema);
  if (path === '/cluster/tasks') return list(taskListItemSchema);
  if (path === '/storage') return list(storageConfigSchema);
  if (path === '/access/permissions') return (data, issues) => Object.keys(parsePermissions(data, (i) => issues.push(i))).length;
  if (path === '/cluster/resources')
    return (data, issues) => {
      const r = parseClusterResources(data, (i) => issues.push(i));
      return r.guests.length + r.nodes.length + r.storages.length + r.pools.length;
    };
  if (/\/status\/current$/.test(path)) return object(guestStatusSchema);
  if (/\/(qemu|lxc)\/\d+\/config$/.test(path)) return object(guestConfigSchema);
  if (/\/snapshot$/.test(path)) return list(snapshotSchema);
  if (/^\/nodes\/[^/]+\/(qemu|lxc)$/.test(path)) return list(guestStatusSchema);
  if (/^\/nodes\/[^/]+\/tasks$/.test(path)) return list(taskListItemSchema);
  if (/\/tasks\/[^/]+\/status$/.test(path)) return object(taskStatusSchema);
  if (/\/tasks\/[^/]+\/log$/.test(path)) return list(taskLogLineSchema);
  if (/^\/nodes\/[^/]+\/status$/.test(path)) return object(nodeStatusSchema);
  if (/^\/nodes\/[^/]+\/storage$/.test(path)) return list(nodeStorageSchema);
  return undefined;
}

describe('recorded real PVE responses', () => {
  it('the fixtures are present', () => {
    assert.ok(files.length >= 38, `found ${files.length}`);
  });

  for (const file of files) {
    const rec = load(file);
    it(file, () => {
      if (rec.status >= 400) {
        assert.throws(
          () => unwrapEnvelope(rec.status, rec.reason ?? '', rec.body),
          (e) => e instanceof PveError && e.status === rec.status && e.message.length > 0,
        );
        return;
      }
      const { data } = unwrapEnvelope(rec.status, rec.reason ?? 'OK', rec.body);
      if (rec.method === 'POST') {
        assert.ok(typeof data === 'string' && tryParseUpid(data), `not a UPID: ${String(data)}`);
        return;
      }
      const parser = parserFor(rec.method, rec.path ?? '');
      if (!parser) return; // endpoints outside our scope (e.g. storage content)
      const issues: SchemaIssue[] = [];
      const count = parser(data, issues);
      const unknownTypes = issues.filter((i) => i.problem === 'unknownType');
      assert.deepEqual(issues.filter((i) => i.problem !== 'unknownType'), [], `issues in ${file}`);
      const expected = Array.isArray(data) ? data.length - unknownTypes.length : count;
      assert.equal(count, expected, `items kept in ${file}`);
    });
  }
});

describe('envelope and errors', () => {
  it('takes the body message over the reason phrase, and keeps the 400 errors object', () => {
    assert.throws(
      () => unwrapEnvelope(400, 'Parameter verification failed.', { data: null, errors: { snapname: "invalid format - invalid configuration ID '1st'\n" }, message: 'Parameter verification failed.\n' }),
      (e) => PveError.is(e, 'badRequest') && e.errors?.snapname === "invalid format - invalid configuration ID '1st'" && e.message === 'Parameter verification failed.',
    );
  });

  it('falls back to the reason phrase when there is no body (old servers, auth errors)', () => {
    assert.throws(() => unwrapEnvelope(401, 'No ticket', undefined), (e) => PveError.is(e, 'unauthorized') && e.message === 'No ticket');
    assert.throws(() => unwrapEnvelope(500, 'VM 100 not running', { data: null }), (e) => PveError.is(e, 'conflict') && e.message === 'VM 100 not running');
  });

  it('names the missing privilege of a 403', () => {
    assert.throws(
      () => unwrapEnvelope(403, 'Permission check failed (/vms/100, VM.PowerMgmt)', { data: null, message: 'Permission check failed (/vms/100, VM.PowerMgmt)\n' }),
      (e) => PveError.is(e, 'forbidden') && e.permission?.path === '/vms/100' && e.permission.privileges[0] === 'VM.PowerMgmt',
    );
  });

  it('classifies PVE 500 texts', () => {
    assert.throws(() => unwrapEnvelope(500, '', { data: null, message: "Configuration file 'nodes/pve1/qemu-server/999.conf' does not exist\n" }), (e) => PveError.is(e, 'notFound'));
    assert.throws(() => unwrapEnvelope(500, 'VM is locked (backup)', undefined), (e) => PveError.is(e, 'conflict'));
    assert.throws(() => unwrapEnvelope(500, 'something else broke', undefined), (e) => PveError.is(e, 'serverError'));
    assert.throws(() => unwrapEnvelope(595, 'No route to host', undefined), (e) => PveError.is(e, 'nodeUnreachable'));
    assert.throws(() => unwrapEnvelope(501, "Method 'GET /foo' not implemented", undefined), (e) => PveError.is(e, 'notFound'));
  });

  it('refuses a 200 without the data envelope', () => {
    assert.throws(() => unwrapEnvelope(200, 'OK', { foo: 1 }), (e) => PveError.is(e, 'invalidResponse'));
    assert.throws(() => unwrapEnvelope(200, 'OK', [1, 2]), (e) => PveError.is(e, 'invalidResponse'));
  });

  it('reads total where PVE adds it', () => {
    assert.deepEqual(unwrapEnvelope(200, 'OK', { data: [], total: 7 }), { data: [], total: 7 });
  });
});
