// Request parameter decoding like pve-http-server AnyEvent.pm decode_urlencoded/extract_params:
// form or JSON body by Content-Type, query parameters override body parameters, repeated keys
// become arrays, `key` without '=' is present but undefined, and (sic) only the text up to a second
// '=' is kept because Perl's split(/=/) drops the rest.
import type { ParamValue, Params } from '../validate';

function unescapeKey(text: string): string {
  return text.replace(/\+/g, ' ').replace(/%([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
}

function unescapeValue(text: string): string {
  const bytes: number[] = [];
  const plus = text.replace(/\+/g, ' ');
  for (let i = 0; i < plus.length; i++) {
    const c = plus.charCodeAt(i);
    if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(plus.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(plus.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      // The input is the raw body/query read as latin1: one char per byte.
      bytes.push(c & 0xff);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** `data` is the raw bytes as a latin1 string. */
export function decodeUrlencoded(data: string): Params {
  const res: Params = {};
  if (data === '') return res;
  for (const kv of data.split(/[&;]/)) {
    // Perl: my ($k, $v) = split(/=/, $kv); trailing empty fields are dropped.
    const fields = kv.split('=');
    while (fields.length > 1 && fields[fields.length - 1] === '') fields.pop();
    const k = unescapeKey(fields[0] ?? '');
    if (fields.length < 2) {
      res[k] = null;
      continue;
    }
    const v = unescapeValue(fields[1] ?? '');
    const old = res[k];
    if (old !== undefined && old !== null) {
      res[k] = Array.isArray(old) ? [...(old as unknown[]), v] : [old, v];
    } else {
      res[k] = v;
    }
  }
  return res;
}

/** parse_content_type: the media type before any ';' or ','. */
export function mediaType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  return contentType.split(/\s*[;,]\s*/)[0];
}

export class BodyParseError extends Error {}

/** JSON body: Perl's decode_json error text for garbage, a "Not a HASH reference" for non-objects. */
export function decodeJsonBody(body: Buffer): Params {
  const text = body.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch {
    const before = text.slice(0, 20).replace(/"/g, '\\"');
    throw new BodyParseError(
      `malformed JSON string, neither tag, array, object, number, string or atom, at character offset 0 (before "${before}") at /usr/share/perl5/PVE/APIServer/AnyEvent.pm line 929.\n`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new BodyParseError('Not a HASH reference at /usr/share/perl5/PVE/APIServer/AnyEvent.pm line 1014.\n');
  }
  const res: Params = {};
  for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) res[k] = v as ParamValue;
  return res;
}
