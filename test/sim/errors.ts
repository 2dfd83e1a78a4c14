// Error values raised inside the simulated API, shaped like pve-common's PVE::Exception.
// A handler "dies" with a plain text (HTTP 500, the text ends in "\n" like Perl's die) or raises a
// typed exception with a code and, for 400, a per-parameter `errors` map (NOTES.md §3).

export class PveError extends Error {
  constructor(
    /** HTTP status code (400, 403, 500, 501, ...). */
    readonly status: number,
    /** Full message including the trailing newline, as PVE keeps it. */
    readonly pveMessage: string,
    readonly errors?: Readonly<Record<string, string>>,
  ) {
    super(pveMessage.replace(/\n$/, ''));
    this.name = 'PveError';
  }
}

/** `die "text\n"` inside a handler: HTTP 500 with the text as reason phrase and body message. */
export function die(text: string): PveError {
  return new PveError(500, text.endsWith('\n') ? text : `${text}\n`);
}

/** pve-common `raise_param_exc`: HTTP 400 "Parameter verification failed." with `errors`. */
export function paramError(errors: Record<string, string>): PveError {
  return new PveError(400, 'Parameter verification failed.\n', errors);
}

/** pve-common `raise_perm_exc`: HTTP 403 "Permission check failed (<what>)". */
export function permError(what?: string): PveError {
  const text = what === undefined ? 'Permission check failed' : `Permission check failed (${what})`;
  return new PveError(403, `${text}\n`);
}

/** Coerces anything thrown inside a handler into a PveError (a bug in the simulator becomes a 500). */
export function toPveError(err: unknown): PveError {
  if (err instanceof PveError) return err;
  const text = err instanceof Error ? err.message : String(err);
  return die(text);
}
