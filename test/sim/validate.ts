// Parameter validation following pve-common PVE::JSONSchema::check_prop/check_type/check_object
// (NOTES.md §3): the error texts, the order of the checks (type, format, pattern, maxLength,
// minLength, maximum/minimum, enum) and which texts carry a trailing "\n" (only format errors,
// because they come from a Perl `die`) are taken from that code.
import type { ParamSchema } from './schema';

/** A decoded request parameter: form values are strings (arrays for repeated keys), JSON keeps its types. */
export type ParamValue = string | number | boolean | null | readonly unknown[] | Readonly<Record<string, unknown>>;
export type Params = Record<string, ParamValue | undefined>;

const CONFIGID_RE = /^[a-z][a-z0-9_-]+$/i;
const VMID_RE = /^[1-9][0-9]{2,8}$/;
const NODE_RE = /^([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)$/;
const REALM_RE = /^[A-Za-z][A-Za-z0-9.\-_]+$/;
const STORAGE_CONTENT = new Set(['images', 'rootdir', 'vztmpl', 'iso', 'backup', 'snippets', 'import']);
const TASK_STATUS = /^(ok|error|warning|unknown)$/i;
const IPV4 = '(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';

/** Valid privilege names (pve-access-control $valid_privs), used by the pve-priv format. */
export const VALID_PRIVS: ReadonlySet<string> = new Set([
  'Permissions.Modify',
  'VM.Config.Disk', 'VM.Config.CPU', 'VM.Config.Memory', 'VM.Config.Network', 'VM.Config.HWType',
  'VM.Config.Options', 'VM.Allocate', 'VM.Clone', 'VM.GuestAgent.Unrestricted', 'VM.Migrate',
  'VM.Replicate', 'VM.Snapshot', 'VM.Snapshot.Rollback', 'VM.Config.CDROM', 'VM.Config.Cloudinit',
  'VM.Console', 'VM.Backup', 'VM.GuestAgent.FileRead', 'VM.GuestAgent.FileSystemMgmt',
  'VM.GuestAgent.FileWrite', 'VM.PowerMgmt', 'VM.Audit', 'VM.GuestAgent.Audit',
  'Sys.PowerMgmt', 'Sys.Modify', 'Sys.Incoming', 'Sys.AccessNetwork', 'Sys.Console', 'Sys.Syslog', 'Sys.Audit',
  'Datastore.Allocate', 'Datastore.AllocateTemplate', 'Datastore.AllocateSpace', 'Datastore.Audit',
  'SDN.Allocate', 'SDN.Audit', 'SDN.Use', 'Realm.Allocate', 'User.Modify', 'Group.Allocate',
  'Realm.AllocateUser', 'Pool.Allocate', 'Pool.Audit', 'Mapping.Modify', 'Mapping.Use', 'Mapping.Audit',
]);

/** PVE::Tools::split_list: NUL-separated, else commas/semicolons/whitespace. */
export function splitList(text: string): string[] {
  if (text.includes('\0')) return text.split('\0');
  return text.replace(/[,;]/g, ' ').replace(/^\s+/, '').split(/\s+/).filter((s) => s !== '');
}

function parseId(id: string, kind: string): void {
  if (id.length < 2) throw new Error(`${kind} ID '${id}' cannot be shorter than 2 characters\n`);
  if (!/^[a-z][a-z0-9\-_.]*[a-z0-9]$/i.test(id)) throw new Error(`${kind} ID '${id}' contains illegal characters\n`);
}

/** Registered format verifiers: each throws an Error whose message is the Perl die text. */
const FORMATS: Record<string, (value: string) => void> = {
  'pve-vmid': (v) => {
    if (!VMID_RE.test(v)) throw new Error('value does not look like a valid VM ID\n');
  },
  'pve-node': (v) => {
    if (!NODE_RE.test(v)) throw new Error('value does not look like a valid node name\n');
  },
  'pve-configid': (v) => {
    if (!CONFIGID_RE.test(v)) throw new Error(`invalid configuration ID '${v}'\n`);
  },
  'pve-storage-id': (v) => {
    parseId(v, 'storage');
  },
  'pve-storage-content': (v) => {
    if (!STORAGE_CONTENT.has(v)) throw new Error(`invalid content type '${v}'\n`);
  },
  'pve-task-status-type': (v) => {
    if (!TASK_STATUS.test(v)) throw new Error(`invalid status '${v}'\n`);
  },
  'pve-realm': (v) => {
    if (!REALM_RE.test(v)) throw new Error('value does not look like a valid realm\n');
  },
  'pve-priv': (v) => {
    if (!VALID_PRIVS.has(v)) throw new Error(`invalid privilege '${v}'\n`);
  },
  CIDR: (v) => {
    const m4 = new RegExp(`^${IPV4}/(\\d+)$`).exec(v);
    const m6 = /^[0-9a-fA-F:]+:[0-9a-fA-F:.]*\/(\d+)$/.exec(v);
    const ok4 = m4?.[1] !== undefined && Number(m4[1]) > 7 && Number(m4[1]) <= 32;
    const ok6 = m6?.[1] !== undefined && Number(m6[1]) > 7 && Number(m6[1]) <= 128;
    if (!ok4 && !ok6) throw new Error('value does not look like a valid CIDR network\n');
  },
};

/** JSONSchema::check_format: `<name>`, `<name>-list` (split_list) or `<name>-opt`. */
function checkFormat(format: string, value: string): void {
  if (format === 'regex') return;
  const m = /^(.*?)(?:-(list|opt))?$/.exec(format);
  const name = m?.[1] ?? format;
  const kind = m?.[2];
  const verify = FORMATS[name];
  // Formats the simulator does not model (e.g. storage-pair-list) accept any value.
  if (!verify) return;
  if (kind === 'list') {
    for (const item of splitList(value)) verify(item);
  } else if (kind === 'opt') {
    if (value !== '') verify(value);
  } else {
    verify(value);
  }
}

/** Perl's is_number / is_integer on the stringified scalar. */
function isNumber(text: string): boolean {
  return /^[+-]?(\d+\.\d+|\d+\.|\.\d+|\d+)([eE][+-]?\d+)?$/.test(text);
}
function isInteger(text: string): boolean {
  return /^[+-]?\d+$/.test(text);
}

/** Stringifies a scalar the way Perl would interpolate it. */
function perlString(value: string | number): string {
  return typeof value === 'number' ? String(value) : value;
}

/** Converts a Perl-stringified qr// (`(?^:...)`) into a JavaScript pattern source. */
function jsPattern(pattern: string): string {
  return pattern.replace(/\(\?\^:/g, '(?:');
}

/** JSONSchema::check_type; returns the error text or undefined when the value passes. */
function checkType(type: string | undefined, value: ParamValue): string | undefined {
  if (type === undefined || type === 'any') return undefined;
  if (typeof value === 'boolean') {
    // JSON true/false decode to JSON::PP::Boolean objects: only 'boolean' accepts them.
    return type === 'boolean' ? undefined : `type check ('${type}') failed - got JSON::PP::Boolean`;
  }
  if (value === null) return undefined;
  if (Array.isArray(value)) return type === 'array' ? undefined : `type check ('${type}') failed - got ARRAY`;
  if (typeof value === 'object') return type === 'object' ? undefined : `type check ('${type}') failed - got HASH`;
  if (type === 'array' || type === 'object') return `type check ('${type}') failed`;
  const text = perlString(value);
  switch (type) {
    case 'string':
      return undefined;
    case 'boolean':
      return text === '1' || text === '0' ? undefined : `type check ('boolean') failed - got '${text}'`;
    case 'integer':
      return isInteger(text) ? undefined : `type check ('integer') failed - got '${text}'`;
    case 'number':
      return isNumber(text) ? undefined : `type check ('number') failed - got '${text}'`;
    default:
      return undefined;
  }
}

/** JSONSchema::check_prop for a scalar parameter; returns the error text or undefined. */
export function checkProp(value: ParamValue | undefined, schema: ParamSchema): string | undefined {
  if (value === undefined || value === null) {
    return schema.optional ? undefined : 'property is missing and it is not optional';
  }
  const typeError = checkType(schema.type, value);
  if (typeError !== undefined) return typeError;
  if (typeof value === 'boolean' || typeof value === 'object') return undefined;
  const text = perlString(value);
  if (schema.format !== undefined && typeof schema.format === 'string') {
    try {
      checkFormat(schema.format, text);
    } catch (err) {
      return `invalid format - ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  if (schema.pattern !== undefined && !new RegExp(`^${jsPattern(schema.pattern)}$`).test(text)) {
    return 'value does not match the regex pattern';
  }
  // Perl's length() counts characters of the decoded string.
  let length = 0;
  for (const _char of text) length++;
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    return `value may only be ${schema.maxLength} characters long`;
  }
  if (schema.minLength !== undefined && length < schema.minLength) {
    return `value must be at least ${schema.minLength} characters long`;
  }
  if (isNumber(text)) {
    if (schema.maximum !== undefined && Number(text) > schema.maximum) {
      return `value must have a maximum value of ${schema.maximum}`;
    }
    if (schema.minimum !== undefined && Number(text) < schema.minimum) {
      return `value must have a minimum value of ${schema.minimum}`;
    }
  }
  if (schema.enum !== undefined && !schema.enum.includes(text)) {
    return `value '${text}' does not have a value in the enumeration '${schema.enum.join(', ')}'`;
  }
  return undefined;
}

/**
 * JSONSchema::validate for a handler's parameter object (additionalProperties 0 everywhere in the
 * subset). Returns the per-parameter error map, empty when the parameters pass.
 */
export function validateParams(
  params: Params,
  properties: Readonly<Record<string, ParamSchema>>,
  additionalProperties = false,
): Record<string, string> {
  const errors: Record<string, string> = {};
  const add = (key: string, msg: string): void => {
    // add_error joins repeated errors with a literal backslash-n (single-quoted Perl string).
    errors[key] = errors[key] === undefined ? msg : `${errors[key]}\\n${msg}`;
  };
  for (const [key, schema] of Object.entries(properties)) {
    const msg = checkProp(params[key], schema);
    if (msg !== undefined) add(key, msg);
  }
  for (const key of Object.keys(params)) {
    if (!Object.hasOwn(params, key)) continue;
    const schema = properties[key];
    if (schema) {
      const requires = schema.requires;
      if (requires !== undefined && (params[requires] === undefined || params[requires] === null)) {
        add(requires, `missing property required by '${key}'`);
      }
      continue;
    }
    if (!additionalProperties) {
      add(key, 'property is not defined in schema and the schema does not allow additional properties');
    }
  }
  return errors;
}

/** Reads a validated boolean parameter (0/1 text, JSON bool or number) with PVE's default. */
export function boolParam(params: Params, key: string, dflt = false): boolean {
  const v = params[key];
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  return v === '1';
}

/** Reads a validated integer parameter. */
export function intParam(params: Params, key: string): number | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string') return Number.parseInt(v, 10);
  return undefined;
}

/** Reads a validated string parameter (numbers from JSON bodies are stringified like Perl would). */
export function strParam(params: Params, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}
