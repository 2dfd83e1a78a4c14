import * as z from 'zod/mini';
import { isValidNodeName } from '../paths';

/**
 * Building blocks that accept what PVE really sends (NOTES.md §2, recorded/INDEX.md quirks):
 * booleans as 0/1 (sometimes quoted), numbers sometimes as strings, names sometimes as numbers.
 */
const NUMERIC = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const INTEGER = /^-?\d+$/;

export const num = z.union([
  z.number().check(z.refine(Number.isFinite)),
  z.pipe(z.string().check(z.regex(NUMERIC)), z.transform((text: string) => Number(text))),
]);

export const int = z.union([
  z.number().check(z.int()),
  z.pipe(z.string().check(z.regex(INTEGER)), z.transform((text: string) => Number(text))),
]);

export const bool01 = z.pipe(
  z.union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1'), z.boolean()]),
  z.transform((value: 0 | 1 | '0' | '1' | boolean) => value === 1 || value === '1' || value === true),
);

/** Free text that Perl may have emitted as a number (a guest named `1234`). */
export const text = z.union([z.string(), z.pipe(z.number(), z.transform((value: number) => String(value)))]);

/** Node names end up in request paths, so they are validated like any path segment. */
export const nodeName = z.string().check(z.refine(isValidNodeName, 'invalid node name'));

export const vmid = z.pipe(int, z.number().check(z.refine((value: number) => value >= 100 && value <= 999_999_999, 'invalid VMID')));

export const optional = z.optional;

/** The load figures nodes and guests share (`cpu` is a fraction of `maxcpu`; sizes in bytes). */
export const usageFields = {
  uptime: z.optional(num),
  cpu: z.optional(num),
  maxcpu: z.optional(num),
  mem: z.optional(num),
  maxmem: z.optional(num),
  disk: z.optional(num),
  maxdisk: z.optional(num),
};
