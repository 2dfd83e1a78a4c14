/**
 * Checks a tool input against the JSON schema the manifest declares for it. VS Code 1.100 does not
 * validate `lm.invokeTool` input itself, and any extension can call a tool, so every tool checks
 * its own input (SECURITY.md: re-validate arguments inside the handler). Only the keywords our
 * schemas use are understood; any other keyword is a programming error, reported loudly rather
 * than silently ignored.
 */
export interface JsonSchema {
  readonly type?: 'object' | 'string' | 'integer' | 'number' | 'boolean';
  readonly description?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly enum?: readonly (string | number | boolean)[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly maxProperties?: number;
  readonly default?: unknown;
  readonly anyOf?: readonly JsonSchema[];
}

const KNOWN = new Set(['type', 'description', 'properties', 'required', 'additionalProperties', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'maxProperties', 'default', 'anyOf']);

export class UnsupportedSchemaError extends Error {
  override readonly name = 'UnsupportedSchemaError';
}

/** The problems with `value`, as `path: problem` lines; empty when it conforms. */
export function schemaProblems(schema: JsonSchema, value: unknown, path = 'input'): string[] {
  for (const key of Object.keys(schema)) {
    if (!KNOWN.has(key)) throw new UnsupportedSchemaError(`unsupported JSON schema keyword "${key}" at ${path}`);
  }
  if (schema.anyOf) {
    const branches = schema.anyOf.map((branch) => schemaProblems(branch, value, path));
    if (!branches.some((p) => p.length === 0)) return [`${path}: matches none of the allowed forms (${branches.map((p) => p.join('; ')).join(' | ')})`];
  }
  if (schema.enum && !schema.enum.includes(value as string | number | boolean)) {
    return [`${path}: must be one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`];
  }
  switch (schema.type) {
    case undefined:
      return [];
    case 'object':
      return objectProblems(schema, value, path);
    case 'string':
      if (typeof value !== 'string') return [`${path}: must be a string`];
      if (schema.minLength !== undefined && value.length < schema.minLength) return [`${path}: must have at least ${schema.minLength} characters`];
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return [`${path}: must have at most ${schema.maxLength} characters`];
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) return [`${path}: does not match ${schema.pattern}`];
      return [];
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${path}: must be a number`];
      if (schema.type === 'integer' && !Number.isInteger(value)) return [`${path}: must be an integer`];
      if (schema.minimum !== undefined && value < schema.minimum) return [`${path}: must be at least ${schema.minimum}`];
      if (schema.maximum !== undefined && value > schema.maximum) return [`${path}: must be at most ${schema.maximum}`];
      return [];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: must be true or false`];
  }
}

function objectProblems(schema: JsonSchema, value: unknown, path: string): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: must be an object`];
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of schema.required ?? []) {
    if (record[key] === undefined) problems.push(`${path}.${key}: is required`);
  }
  const entries = Object.entries(record).filter(([, v]) => v !== undefined);
  if (schema.maxProperties !== undefined && entries.length > schema.maxProperties) problems.push(`${path}: at most ${schema.maxProperties} properties`);
  for (const [key, item] of entries) {
    const property = schema.properties?.[key];
    if (property) {
      problems.push(...schemaProblems(property, item, `${path}.${key}`));
    } else if (schema.additionalProperties === false) {
      problems.push(`${path}.${key}: is not a known parameter`);
    } else if (typeof schema.additionalProperties === 'object') {
      problems.push(...schemaProblems(schema.additionalProperties, item, `${path}.${key}`));
    }
  }
  return problems;
}
