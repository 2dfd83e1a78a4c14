// Conformance with schema-subset.json: every (method, path) of the subset has a route and no route
// exists outside it; parameter validation follows the schema (unknown parameters, types, enums,
// required parameters, maxLength) for every endpoint.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { allRoutes } from '../../sim/routes/registry';
import { endpointKey, loadEndpoints, loadSubsetEndpoints, type Endpoint, type ParamSchema } from '../../sim/schema';
import type { Simulator } from '../../sim/simulator';
import { call, startTestSim } from './helpers';

let sim: Simulator;
before(async () => {
  sim = await startTestSim();
});
after(async () => {
  await sim.close();
});

const SHARED = '/work/shared/pve-api/schema-subset.json';

describe('routes vs schema', () => {
  it('has exactly the 48 endpoints of the subset plus the 9 of schema-extra.json', () => {
    const schema = loadEndpoints().map((e) => endpointKey(e.method, e.path)).sort();
    const routes = allRoutes.map(([m, p]) => endpointKey(m, p)).sort();
    assert.equal(loadSubsetEndpoints().length, 48);
    assert.equal(schema.length, 48 + 9);
    assert.deepEqual(routes, schema);
  });

  it('uses a verbatim copy of the shared schema file', (t) => {
    if (!existsSync(SHARED)) {
      t.skip('shared schema not present');
      return;
    }
    const local = readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'sim', 'schema-subset.json'), 'utf8');
    assert.equal(local, readFileSync(SHARED, 'utf8'));
  });
});

const UPID = 'UPID:pve1:00001234:00001234:00001234:qmstart:100:root@pam:';

function concretePath(e: Endpoint): string {
  const vmid = e.path.includes('/lxc/') ? '101' : '100';
  return e.path.replace('{node}', 'pve1').replace('{vmid}', vmid).replace('{snapname}', 'base').replace('{upid}', encodeURIComponent(UPID));
}

/** Valid values for required non-path parameters, so that only the parameter under test fails. */
const REQUIRED_VALUES: Record<string, string> = { snapname: 'conformance', username: 'root@pam', password: 'x' };

function uriParams(e: Endpoint): Set<string> {
  return new Set([...e.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? ''));
}

function bodyParams(e: Endpoint): [string, ParamSchema][] {
  const uri = uriParams(e);
  return Object.entries(e.schema.parameters.properties ?? {}).filter(([k]) => !uri.has(k));
}

async function send(e: Endpoint, params: Record<string, string>): Promise<Record<string, string>> {
  const base = concretePath(e);
  const isBody = e.method === 'POST' || e.method === 'PUT';
  const query = new URLSearchParams(params).toString();
  // POST /access/ticket refuses API tokens before validating (allowtoken 0).
  const token = e.schema.allowtoken === 0 ? undefined : sim.tokens.admin;
  const r = await call(sim, e.method, isBody || query === '' ? base : `${base}?${query}`, { token, form: isBody ? params : undefined });
  assert.equal(r.status, 400, `${e.method} ${e.path} ${JSON.stringify(params)}: ${r.status} ${r.reason}`);
  assert.equal(r.reason, 'Parameter verification failed.');
  return r.json?.errors ?? {};
}

function required(e: Endpoint): Record<string, string> {
  const res: Record<string, string> = {};
  for (const [k, p] of bodyParams(e)) if (!p.optional) res[k] = REQUIRED_VALUES[k] ?? 'x';
  return res;
}

describe('validation follows the schema for every endpoint', () => {
  for (const e of loadEndpoints()) {
    it(`${e.method} ${e.path}`, async () => {
      const errors = await send(e, { ...required(e), 'no-such-param': '1' });
      assert.equal(errors['no-such-param'], 'property is not defined in schema and the schema does not allow additional properties');
      for (const [name, p] of bodyParams(e)) {
        const base = required(e);
        if (!p.optional) {
          const rest = Object.fromEntries(Object.entries(base).filter(([k]) => k !== name));
          assert.equal((await send(e, rest))[name], 'property is missing and it is not optional', name);
        }
        if (p.type === 'boolean') {
          assert.equal((await send(e, { ...base, [name]: 'true' }))[name], "type check ('boolean') failed - got 'true'", name);
        } else if (p.type === 'integer') {
          assert.equal((await send(e, { ...base, [name]: 'x1' }))[name], "type check ('integer') failed - got 'x1'", name);
          if (p.minimum !== undefined && p.format === undefined) {
            assert.equal((await send(e, { ...base, [name]: String(p.minimum - 1) }))[name], `value must have a minimum value of ${p.minimum}`, name);
          }
        } else if (p.enum !== undefined) {
          assert.equal((await send(e, { ...base, [name]: 'bogus' }))[name], `value 'bogus' does not have a value in the enumeration '${p.enum.join(', ')}'`, name);
        } else if (p.type === 'string' && p.maxLength !== undefined && p.format === undefined && p.pattern === undefined) {
          assert.equal((await send(e, { ...base, [name]: 'a'.repeat(p.maxLength + 1) }))[name], `value may only be ${p.maxLength} characters long`, name);
        }
      }
    });
  }
});
