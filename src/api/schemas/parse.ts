import * as z from 'zod/mini';
import { PveError } from '../errors';

/** A schema mismatch is reported as a probable bug (ours or a new PVE version's), not a crash. */
export interface SchemaIssue {
  readonly endpoint: string;
  readonly index?: number;
  readonly problem: 'malformedItem' | 'unknownType' | 'malformedResponse';
  readonly detail: string;
}

export type IssueSink = (issue: SchemaIssue) => void;

function describe(error: z.core.$ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

/** One object answer: it must parse, or the whole call fails as `invalidResponse`. */
export function parseObject<T extends z.ZodMiniType>(schema: T, data: unknown, endpoint: string, sink?: IssueSink): z.output<T> {
  const result = z.safeParse(schema, data);
  if (result.success) return result.data;
  const detail = describe(result.error);
  sink?.({ endpoint, problem: 'malformedResponse', detail });
  throw new PveError('invalidResponse', `Unexpected answer from ${endpoint} (${detail}).`);
}

/**
 * A list answer is parsed per item: one malformed entry is dropped and reported, the rest kept.
 * A non-list answer fails the call.
 */
export function parseList<T extends z.ZodMiniType>(schema: T, data: unknown, endpoint: string, sink?: IssueSink): z.output<T>[] {
  if (!Array.isArray(data)) {
    sink?.({ endpoint, problem: 'malformedResponse', detail: 'expected a list' });
    throw new PveError('invalidResponse', `Unexpected answer from ${endpoint} (expected a list).`);
  }
  const items: z.output<T>[] = [];
  data.forEach((item: unknown, index) => {
    const result = z.safeParse(schema, item);
    if (result.success) items.push(result.data);
    else sink?.({ endpoint, index, problem: 'malformedItem', detail: describe(result.error) });
  });
  return items;
}
