// Loads the PVE 9.1 schema subset (a verbatim copy of /work/shared/pve-api/schema-subset.json) and
// resolves request paths the way pve-common's RESTHandler does: split on '/', skip empty segments,
// fixed folder names or a `{placeholder}` matching `\S+` per level (NOTES.md §1, RESTHandler.pm
// map_path_to_methods). The file is read at run time so that both the tsc output (out/test/sim) and
// an esbuild bundle find it by walking up to the repository's test/sim folder.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface ParamSchema {
  readonly type?: string;
  readonly optional?: number;
  readonly format?: string | Readonly<Record<string, unknown>>;
  readonly pattern?: string;
  readonly maxLength?: number;
  readonly minLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly enum?: readonly string[];
  readonly requires?: string;
  readonly default?: unknown;
}

/** A permission check as PVE writes it: ['perm', path, [privs], 'any', 1], ['and', ...], ['or', ...]. */
export type PermCheck = readonly unknown[];

export interface PermissionSpec {
  readonly user?: 'all' | 'world';
  readonly check?: PermCheck;
  readonly description?: string;
}

export interface EndpointInfo {
  readonly name: string;
  readonly method: HttpMethod;
  readonly allowtoken?: number;
  readonly protected?: number;
  readonly proxyto?: string;
  readonly permissions?: PermissionSpec;
  readonly parameters: {
    readonly additionalProperties?: number;
    readonly properties?: Readonly<Record<string, ParamSchema>>;
  };
  readonly returns?: unknown;
}

export interface Endpoint {
  readonly path: string;
  readonly method: HttpMethod;
  readonly schema: EndpointInfo;
}

interface SchemaFile {
  readonly endpoints: readonly Endpoint[];
}

const SCHEMA_FILE = 'schema-subset.json';
/** Console, guest-address and realm endpoints (CONSOLE.md), extracted the same way; kept apart so
 * that schema-subset.json stays a verbatim copy of the shared file. */
const EXTRA_FILE = 'schema-extra.json';

function findSchemaFile(): string {
  const fromEnv = process.env.PVE_SIM_SCHEMA;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  // Next to this module (ts-node style runs), else walk up to <repo>/test/sim/.
  let dir = __dirname;
  for (;;) {
    for (const candidate of [join(dir, SCHEMA_FILE), join(dir, 'test', 'sim', SCHEMA_FILE)]) {
      if (existsSync(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`${SCHEMA_FILE} not found above ${__dirname}; set PVE_SIM_SCHEMA`);
}

function readEndpoints(file: string): readonly Endpoint[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as SchemaFile).endpoints)) {
    throw new Error(`${file}: no endpoints array`);
  }
  return (raw as SchemaFile).endpoints;
}

let cached: readonly Endpoint[] | undefined;
let cachedSubset: readonly Endpoint[] | undefined;

/** The 48 endpoints of the shared subset, in file order. */
export function loadSubsetEndpoints(): readonly Endpoint[] {
  cachedSubset ??= readEndpoints(findSchemaFile());
  return cachedSubset;
}

/** Every endpoint the simulator serves: the subset, then schema-extra.json (next to it). */
export function loadEndpoints(): readonly Endpoint[] {
  if (cached) return cached;
  const extra = join(dirname(findSchemaFile()), EXTRA_FILE);
  cached = [...loadSubsetEndpoints(), ...(existsSync(extra) ? readEndpoints(extra) : [])];
  return cached;
}

export function endpointKey(method: string, template: string): string {
  return `${method} ${template}`;
}

interface PathNode {
  folders?: Map<string, PathNode>;
  regex?: { name: string; node: PathNode };
  methods: Map<string, Endpoint>;
}

export interface PathMatch {
  readonly endpoint: Endpoint;
  readonly uriParams: Record<string, string>;
}

/** Path lookup tree built from the schema's templates (one regex child or folders per level). */
export class PathRouter {
  private readonly root: PathNode = { methods: new Map() };

  constructor(endpoints: readonly Endpoint[]) {
    for (const ep of endpoints) this.add(ep);
  }

  private add(ep: Endpoint): void {
    let node = this.root;
    for (const comp of ep.path.split('/').filter((c) => c !== '')) {
      const placeholder = /^\{([\w-]+)\}$/.exec(comp);
      if (placeholder?.[1] !== undefined) {
        node.regex ??= { name: placeholder[1], node: { methods: new Map() } };
        node = node.regex.node;
      } else {
        node.folders ??= new Map();
        let next = node.folders.get(comp);
        if (!next) {
          next = { methods: new Map() };
          node.folders.set(comp, next);
        }
        node = next;
      }
    }
    node.methods.set(ep.method, ep);
  }

  /** Resolves a relative API path (after /api2/json) like RESTHandler::find_handler. */
  match(method: string, relPath: string): PathMatch | undefined {
    const uriParams: Record<string, string> = {};
    let node: PathNode | undefined = this.root;
    for (const comp of relPath.split('/').filter((c) => c !== '')) {
      if (!node) return undefined;
      if (node.regex) {
        // The default placeholder regex is \S+ (anchored): whitespace inside a segment fails.
        if (!/^\S+$/.test(comp)) return undefined;
        uriParams[node.regex.name] = comp;
        node = node.regex.node;
      } else if (node.folders) {
        node = node.folders.get(comp);
      } else {
        return undefined;
      }
    }
    const endpoint = node?.methods.get(method);
    return endpoint ? { endpoint, uriParams } : undefined;
  }
}
