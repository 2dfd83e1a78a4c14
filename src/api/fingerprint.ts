/**
 * SHA-256 certificate fingerprints as PVE shows them: 32 upper-case hex pairs joined by `:`
 * (node Certificates panel, `pvenode cert info`, `/nodes` `ssl_fingerprint`).
 */
export type FingerprintProblem = 'empty' | 'sha1' | 'malformed';

export type FingerprintParse =
  | { readonly ok: true; readonly fingerprint: string }
  | { readonly ok: false; readonly problem: FingerprintProblem };

/** Accepts what people paste (any case, with or without `:`/spaces); refuses SHA-1 and junk. */
export function parseFingerprint(input: string): FingerprintParse {
  const hex = input.trim().replace(/^sha-?256[\s:=]*/i, '').replace(/[\s:]/g, '');
  if (hex.length === 0) return { ok: false, problem: 'empty' };
  if (!/^[0-9a-f]+$/i.test(hex)) return { ok: false, problem: 'malformed' };
  if (hex.length === 40) return { ok: false, problem: 'sha1' };
  if (hex.length !== 64) return { ok: false, problem: 'malformed' };
  return { ok: true, fingerprint: formatFingerprint(hex) };
}

export function formatFingerprint(hex: string): string {
  const clean = hex.replace(/:/g, '').toUpperCase();
  return clean.match(/.{2}/g)?.join(':') ?? clean;
}

export function sameFingerprint(a: string, b: string): boolean {
  return formatFingerprint(a) === formatFingerprint(b);
}
