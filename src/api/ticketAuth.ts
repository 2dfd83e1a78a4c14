import * as z from 'zod/mini';
import type { Authenticator } from './auth';
import { SignInRequiredError } from './consoleErrors';
import { PveError } from './errors';
import type { ApiRequest, ApiResult, HttpMethod, Transport } from './transport';

/**
 * Ticket sign-in (CONSOLE.md §1, NOTES.md §4): `POST /access/ticket` with user and password, the
 * second factor through the `tfa-challenge` step (never the one-step `otp` parameter, which is
 * broken on PVE 8/9), then the ticket as `PVEAuthCookie` with `CSRFPreventionToken` on writes,
 * renewed long before its 2 h end by posting the ticket itself as the password.
 */

/** What is kept after a sign-in (in SecretStorage only). Never the password or a code. */
export interface TicketInfo {
  /** Canonical `user@realm` as the server spells it. */
  readonly username: string;
  readonly ticket: string;
  readonly csrf: string;
  /** Local clock, ms since epoch, when the ticket arrived: the age is measured on this machine. */
  readonly issuedAt: number;
}

/** Second factors the server offers; WebAuthn/U2F need a browser and are not usable here. */
export interface TfaChallenge {
  readonly totp: boolean;
  /** Indices of unused recovery keys. */
  readonly recovery: readonly number[];
  readonly yubico: boolean;
  readonly webauthn: boolean;
  readonly u2f: boolean;
}

export type SignInStep =
  | { readonly kind: 'signedIn'; readonly info: TicketInfo }
  | { readonly kind: 'secondFactor'; readonly pending: PendingTfa };

/** The half ticket between the two steps; kept in memory only while the code is asked for. */
export interface PendingTfa {
  readonly username: string;
  readonly halfTicket: string;
  readonly challenge: TfaChallenge;
}

export type TfaResponse = { readonly kind: 'totp'; readonly code: string } | { readonly kind: 'recovery'; readonly key: string } | { readonly kind: 'yubico'; readonly otp: string };

/** Ticket and CSRF token are accepted while age < 7200 s; renew at 30 min, give up 2 min early. */
export const TICKET_LIFETIME_MS = 7_200_000;
export const RENEW_AFTER_MS = 30 * 60_000;
const SAFETY_MARGIN_MS = 2 * 60_000;

const USERNAME_PATTERN = /^[^\s:/@]+@[A-Za-z][A-Za-z0-9.\-_]+$/;

export function isValidUsername(username: string): boolean {
  return username.length <= 64 && USERNAME_PATTERN.test(username);
}

const ticketAnswerSchema = z.object({
  username: z.string(),
  ticket: z.string(),
  CSRFPreventionToken: z.optional(z.string()),
  NeedTFA: z.optional(z.union([z.number(), z.boolean(), z.string()])),
});

/** `PVE:!tfa!<challenge JSON with ':' as %3A>:<hex time>::<sig>`, parsed the way LoginWindow.js does. */
export function parseTfaChallenge(halfTicket: string): TfaChallenge | undefined {
  const field = halfTicket.split(':')[1];
  if (!field?.startsWith('!tfa!')) return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(decodeURIComponent(field.slice(5)));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const c = raw as Record<string, unknown>;
  const recovery = Array.isArray(c.recovery) ? c.recovery.filter((n): n is number => typeof n === 'number') : [];
  return { totp: c.totp === true, recovery, yubico: c.yubico === true, webauthn: c.webauthn !== undefined, u2f: c.u2f !== undefined };
}

function toInfo(answer: z.infer<typeof ticketAnswerSchema>, now: number): TicketInfo {
  if (!answer.CSRFPreventionToken) throw new PveError('invalidResponse', 'The sign-in answer has no CSRF token.');
  return { username: answer.username, ticket: answer.ticket, csrf: answer.CSRFPreventionToken, issuedAt: now };
}

function parseAnswer(result: ApiResult): z.infer<typeof ticketAnswerSchema> {
  const parsed = z.safeParse(ticketAnswerSchema, result.data);
  if (!parsed.success) throw new PveError('invalidResponse', 'The sign-in answer is not a Proxmox VE ticket.');
  return parsed.data;
}

/**
 * First step: user and password. `new-format=1` is sent always (PVE 7.1-7.4 need it; 8/9 ignore
 * it); a 400 naming it means PVE 7.0 or older, whose legacy TFA flow is not supported.
 * The transport must be unauthenticated (no ticket, no token: `/access/ticket` refuses tokens).
 */
export async function requestTicket(transport: Transport, username: string, password: string, signal?: AbortSignal, now: () => number = Date.now): Promise<SignInStep> {
  if (!isValidUsername(username)) throw new PveError('invalidInput', 'Expected user@realm.');
  const result = await send(transport, { username, password, 'new-format': 1 }, signal);
  const answer = parseAnswer(result);
  if (answer.NeedTFA !== undefined && answer.NeedTFA !== 0 && answer.NeedTFA !== '0' && answer.NeedTFA !== false) {
    const challenge = parseTfaChallenge(answer.ticket);
    if (!challenge) throw new PveError('invalidResponse', 'The server asked for a second factor in a form this extension does not know.');
    return { kind: 'secondFactor', pending: { username: answer.username, halfTicket: answer.ticket, challenge } };
  }
  return { kind: 'signedIn', info: toInfo(answer, now()) };
}

/** Second step: `tfa-challenge` = the half ticket verbatim, the answer in `password` with its type prefix. */
export async function answerTfa(transport: Transport, pending: PendingTfa, response: TfaResponse, signal?: AbortSignal, now: () => number = Date.now): Promise<TicketInfo> {
  const password = response.kind === 'totp' ? `totp:${response.code}` : response.kind === 'recovery' ? `recovery:${response.key}` : `yubico:${response.otp}`;
  const result = await send(transport, { username: pending.username, 'tfa-challenge': pending.halfTicket, password, 'new-format': 1 }, signal);
  const answer = parseAnswer(result);
  if (answer.NeedTFA !== undefined && answer.NeedTFA !== 0) throw new PveError('invalidResponse', 'The server asked for another second factor.');
  return toInfo(answer, now());
}

/** Renewal: the current ticket as password gives a new ticket and a new CSRF token, no TFA. */
export async function renewTicket(transport: Transport, info: TicketInfo, signal?: AbortSignal, now: () => number = Date.now): Promise<TicketInfo> {
  const result = await send(transport, { username: info.username, password: info.ticket }, signal);
  return toInfo(parseAnswer(result), now());
}

async function send(transport: Transport, params: Record<string, string | number>, signal: AbortSignal | undefined): Promise<ApiResult> {
  try {
    return await transport.request({ method: 'POST', path: '/access/ticket', params, ...(signal ? { signal } : {}) });
  } catch (error) {
    if (PveError.is(error, 'badRequest') && error.errors?.['new-format'] !== undefined) {
      throw new PveError('badRequest', 'This Proxmox VE is older than 7.1; password sign-in needs 7.1 or newer. Use an API token.', { status: 400, cause: error });
    }
    throw error;
  }
}

/** Stored form: JSON in SecretStorage. Anything unreadable counts as "not signed in". */
export function serializeTicket(info: TicketInfo): string {
  return JSON.stringify({ v: 1, username: info.username, ticket: info.ticket, csrf: info.csrf, issuedAt: info.issuedAt });
}

export function parseStoredTicket(text: string | undefined): TicketInfo | undefined {
  if (text === undefined) return undefined;
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    if (typeof raw.username === 'string' && typeof raw.ticket === 'string' && typeof raw.csrf === 'string' && typeof raw.issuedAt === 'number') {
      return { username: raw.username, ticket: raw.ticket, csrf: raw.csrf, issuedAt: raw.issuedAt };
    }
  } catch {
    // not ours, or damaged: ask again
  }
  return undefined;
}

/** Every form in which a ticket could appear in a log line. */
export function ticketSecrets(info: TicketInfo): string[] {
  return [info.ticket, encodeURIComponent(info.ticket), info.csrf];
}

export { SignInRequiredError };

export interface TicketAuthenticatorOptions {
  /** Sends the renewal; given the current ticket, returns the new one. */
  readonly renew: (current: TicketInfo, signal?: AbortSignal) => Promise<TicketInfo>;
  /** Told about every new ticket, to store it and to add it to the redactor. */
  readonly onRenewed?: (info: TicketInfo) => void;
  /** Told once when the sign-in lapses or is refused. */
  readonly onLapsed?: () => void;
  readonly now?: () => number;
}

/**
 * `Cookie: PVEAuthCookie=<ticket>` on every request (the cookie wins over `Authorization` on the
 * server), `CSRFPreventionToken` on every non-GET. Renews once the ticket is 30 min old (one
 * renewal in flight, shared). A ticket too close to its end is never sent.
 */
export class TicketAuthenticator implements Authenticator {
  private info: TicketInfo;
  private renewal: Promise<void> | undefined;
  private lapsed = false;
  private readonly now: () => number;

  constructor(info: TicketInfo, private readonly options: TicketAuthenticatorOptions) {
    this.info = info;
    this.now = options.now ?? Date.now;
  }

  get current(): TicketInfo {
    return this.info;
  }

  get username(): string {
    return this.info.username;
  }

  get isLapsed(): boolean {
    return this.lapsed;
  }

  async headers(method: HttpMethod, signal?: AbortSignal): Promise<Record<string, string>> {
    if (this.lapsed) throw new SignInRequiredError('lapsed');
    const age = this.now() - this.info.issuedAt;
    if (age >= TICKET_LIFETIME_MS - SAFETY_MARGIN_MS) {
      this.lapse();
      throw new SignInRequiredError('lapsed');
    }
    if (age >= RENEW_AFTER_MS) await this.renewOnce(signal);
    const headers: Record<string, string> = { cookie: `PVEAuthCookie=${encodeURIComponent(this.info.ticket)}` };
    if (method !== 'GET') headers.csrfpreventiontoken = this.info.csrf;
    return headers;
  }

  secrets(): readonly string[] {
    return ticketSecrets(this.info);
  }

  onUnauthorized(): void {
    this.lapse();
  }

  private lapse(): void {
    if (this.lapsed) return;
    this.lapsed = true;
    this.options.onLapsed?.();
  }

  private renewOnce(signal: AbortSignal | undefined): Promise<void> {
    this.renewal ??= this.options
      .renew(this.info, signal)
      .then(
        (next) => {
          this.info = next;
          this.options.onRenewed?.(next);
        },
        (error: unknown) => {
          // A refused renewal ends the sign-in; a network hiccup does not: the ticket is still valid.
          if (PveError.is(error, 'unauthorized')) {
            this.lapse();
            throw new SignInRequiredError('rejected', error);
          }
        },
      )
      .finally(() => {
        this.renewal = undefined;
      });
    return this.renewal;
  }
}

/** No credentials at all: for `/access/ticket` and `/access/domains`. */
export const anonymousAuthenticator: Authenticator = {
  headers: () => Promise.resolve({}),
  secrets: () => [],
};

/**
 * Wraps the transport of a ticket session so that a 401 reads as "sign in again": once the
 * server refuses the ticket, it is a lapsed sign-in rather than a wrong token.
 */
export class TicketTransport implements Transport {
  constructor(
    private readonly inner: Transport,
    private readonly auth: TicketAuthenticator,
  ) {}

  async request(request: ApiRequest): Promise<ApiResult> {
    try {
      return await this.inner.request(request);
    } catch (error) {
      if (PveError.is(error, 'unauthorized') && !(error instanceof SignInRequiredError)) {
        this.auth.onUnauthorized();
        throw new SignInRequiredError('rejected', error);
      }
      throw error;
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

const domainSchema = z.object({ realm: z.string(), type: z.optional(z.string()), comment: z.optional(z.string()), default: z.optional(z.union([z.number(), z.boolean()])), tfa: z.optional(z.string()) });

export interface Realm {
  readonly realm: string;
  readonly type: string;
  readonly comment: string | undefined;
  readonly isDefault: boolean;
}

/** `GET /access/domains` (unauthenticated): the realms a user name can end in. OpenID realms take no password. */
export async function listRealms(transport: Transport, signal?: AbortSignal): Promise<Realm[]> {
  const result = await transport.request({ method: 'GET', path: '/access/domains', ...(signal ? { signal } : {}) });
  const list = Array.isArray(result.data) ? result.data : [];
  const realms: Realm[] = [];
  for (const item of list) {
    const parsed = z.safeParse(domainSchema, item);
    if (!parsed.success || parsed.data.type === 'openid') continue;
    realms.push({ realm: parsed.data.realm, type: parsed.data.type ?? '', comment: parsed.data.comment, isDefault: parsed.data.default === 1 || parsed.data.default === true });
  }
  return realms;
}
