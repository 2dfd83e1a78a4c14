import { PveError } from './errors';
import type { HttpMethod } from './transport';

/**
 * Supplies the credentials for one request. Token auth is stateless; ticket auth (cookie + CSRF
 * on writes, renewal before the 2 h end) implements the same interface, so callers never know
 * which one is in use.
 */
export interface Authenticator {
  headers(method: HttpMethod, signal?: AbortSignal): Promise<Record<string, string>>;
  /** Every secret value this authenticator sends, for the redactor. */
  secrets(): readonly string[];
  /** Told about a 401 so a ticket can be marked lapsed. */
  onUnauthorized?(): void;
}

const TOKEN_ID_PATTERN = /^[^\s!@:=]+@[A-Za-z][A-Za-z0-9.\-_]*![A-Za-z][A-Za-z0-9.\-_]+$/;

export function isValidTokenId(tokenId: string): boolean {
  return tokenId.length <= 256 && TOKEN_ID_PATTERN.test(tokenId);
}

/** A secret goes into an HTTP header: CR, LF or other control characters would split it. */
export function normalizeTokenSecret(secret: string): string {
  const trimmed = secret.trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what we refuse
  if (trimmed.length === 0 || /[\x00-\x1f\x7f\s]/.test(trimmed)) {
    throw new PveError('invalidInput', 'The token secret contains spaces or control characters.');
  }
  return trimmed;
}

/** `Authorization: PVEAPIToken=USER@REALM!TOKENID=SECRET` (NOTES.md §4). */
export class TokenAuthenticator implements Authenticator {
  private readonly header: string;
  private readonly secret: string;

  constructor(tokenId: string, secret: string) {
    if (!isValidTokenId(tokenId)) throw new PveError('invalidInput', 'Invalid API token id (expected user@realm!name).');
    this.secret = normalizeTokenSecret(secret);
    this.header = `PVEAPIToken=${tokenId}=${this.secret}`;
  }

  headers(): Promise<Record<string, string>> {
    return Promise.resolve({ authorization: this.header });
  }

  secrets(): readonly string[] {
    return [this.secret, this.header];
  }
}
