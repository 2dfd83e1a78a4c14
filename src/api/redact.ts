/**
 * The one redaction step for everything logged or shown. It masks the known secret values
 * themselves (raw, URL-encoded, and wrapped across line breaks) and the credential patterns PVE
 * uses, so a secret that slips into an error text, a URL or a log line never leaves in clear.
 */
const MASK = '«redacted»';

// Credential shapes that must never be shown even when the secret itself is unknown here.
const PATTERNS: readonly [RegExp, string][] = [
  [/(PVEAPIToken[= ])[^\s"'&;,]+/gi, `$1${MASK}`],
  [/(PVEAuthCookie=)[^\s"'&;,]+/gi, `$1${MASK}`],
  [/(CSRFPreventionToken["']?\s*[:=]\s*["']?)[^\s"'&;,]+/gi, `$1${MASK}`],
  // A PVE ticket: PVE:user@realm:HEXTIME::signature (also half tickets PVE:!tfa!…).
  [/PVE:[^\s:]+:[0-9A-F]{8}::[A-Za-z0-9+/=%]+/gi, `PVE:${MASK}`],
  // A terminal (VNC) ticket, optionally behind an 8-character VNC password: …PVEVNC:HEXTIME::signature.
  [/(?:\S{8}:)?PVEVNC:[0-9A-F]{8}::[A-Za-z0-9+/=%]+/gi, `PVEVNC:${MASK}`],
  [/([?&](?:password|secret|ticket|vncticket|tfa-challenge)=)[^&\s]+/gi, `$1${MASK}`],
];

const MIN_PART = 4;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Builds a matcher for one secret: its raw and encoded forms, tolerating line breaks inside. */
function matcherFor(secret: string): RegExp | undefined {
  const variants = new Set<string>();
  const trimmed = secret.trim();
  for (const value of [secret, trimmed]) {
    if (value.length === 0) continue;
    variants.add(value);
    variants.add(encodeURIComponent(value));
  }
  // A secret pasted with CR/LF inside: every line-separated part long enough to identify it.
  for (const part of trimmed.split(/[\r\n]+/)) {
    if (part.length >= MIN_PART) {
      variants.add(part);
      variants.add(encodeURIComponent(part));
    }
  }
  const alternatives = [...variants]
    .filter((v) => v.length >= MIN_PART)
    .sort((a, b) => b.length - a.length)
    // Code units are fine here: secrets are ASCII, and a split surrogate still matches literally.
    .map((v) => Array.from({ length: v.length }, (_, i) => escapeRegExp(v.charAt(i))).join('(?:\\r?\\n|%0D%0A|%0A)?'));
  if (alternatives.length === 0) return undefined;
  return new RegExp(alternatives.join('|'), 'gi');
}

/** Holds the secrets in use and masks them in any text. Secrets are added when they are loaded. */
export class Redactor {
  private readonly matchers = new Map<string, RegExp>();

  addSecret(secret: string | undefined): void {
    if (secret === undefined || this.matchers.has(secret)) return;
    const matcher = matcherFor(secret);
    if (matcher) this.matchers.set(secret, matcher);
  }

  removeSecret(secret: string): void {
    this.matchers.delete(secret);
  }

  redact(text: string): string {
    let result = text;
    for (const matcher of this.matchers.values()) {
      result = result.replace(matcher, MASK);
    }
    for (const [pattern, replacement] of PATTERNS) {
      result = result.replace(pattern, replacement);
    }
    return result;
  }
}

export const REDACTION_MASK = MASK;
