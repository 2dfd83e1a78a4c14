/**
 * The canary: a token secret used by every simulator cluster of the integration run (and the e2e
 * run). A final suite scans everything the extension wrote for it, in any form: raw, URL-encoded,
 * or any 8-character piece (a secret cut by a line break or a truncated message).
 */
export const CANARY_SECRET = 'c4a2a7e5-9d0b-4c4e-8a11-ca9a4e1e5ecf';
/** A second canary with CR/LF, as a badly pasted secret: refused, and never echoed. */
export const CANARY_WITH_CRLF = 'canaryLF-7f3e\r\n91b2-4d5c-e6f7';

export function findCanary(text: string, secret: string = CANARY_SECRET): string | undefined {
  const forms = [secret, encodeURIComponent(secret), secret.replace(/-/g, '')];
  for (const form of forms) if (text.includes(form)) return form;
  const flat = text.replace(/\r?\n/g, '');
  for (const part of secret.split(/[\r\n]+/)) {
    for (let i = 0; i + 8 <= part.length; i++) {
      const piece = part.slice(i, i + 8);
      if (flat.includes(piece)) return piece;
    }
  }
  return undefined;
}
