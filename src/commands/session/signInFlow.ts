import * as vscode from 'vscode';
import { PveError } from '../../api/errors';
import type { PendingTfa, TfaResponse, TicketInfo } from '../../api/ticketAuth';
import type { Transport } from '../../api/transport';
import type { TrustConfig } from '../../api/trust';
import type { CommandContext } from '../commandContext';

const ATTEMPTS = 3;
const TOTP_PATTERN = /^\d{6,8}$/;
const RECOVERY_PATTERN = /^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/i;
const YUBICO_PATTERN = /^[cbdefghijklnrtuv]{32,48}$/i;

/**
 * The interactive part of a sign-in (CONSOLE.md §1): user@realm, password, then the second factor
 * if PVE asks for one. The password and the code live only in this function's locals while their
 * request is sent; nothing of them is logged or stored. Returns undefined when the user gave up.
 */
export async function signInInteractive(ctx: CommandContext, target: { readonly url: string; readonly trust: TrustConfig; readonly username?: string }): Promise<TicketInfo | undefined> {
  const [{ HttpTransport }, { anonymousAuthenticator, requestTicket, isValidUsername }] = await Promise.all([import('../../api/httpTransport'), import('../../api/ticketAuth')]);
  // No credentials on this transport: `/access/ticket` and `/access/domains` are open endpoints.
  const transport = new HttpTransport({ baseUrl: target.url, trust: target.trust, auth: anonymousAuthenticator });
  try {
    const username = await askUsername(ctx, transport, target.username, isValidUsername);
    if (!username) return undefined;
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const password = await ctx.prompter.input({
        title: vscode.l10n.t('Proxmox VE: sign in to {0}', new URL(target.url).host),
        prompt: attempt === 1 ? vscode.l10n.t('Password of {0}. It is sent once and never stored.', username) : vscode.l10n.t('The sign-in failed. Password of {0} (attempt {1} of {2}):', username, attempt, ATTEMPTS),
        password: true,
        validate: (text) => (text === '' ? vscode.l10n.t('The password cannot be empty.') : undefined),
      });
      if (password === undefined) return undefined;
      let step;
      try {
        step = await withProgress(vscode.l10n.t('Signing in as {0}…', username), (signal) => requestTicket(transport, username, password, signal));
      } catch (error) {
        if (PveError.is(error, 'unauthorized') && attempt < ATTEMPTS) continue;
        throw explainFailure(error, 'password');
      }
      if (step.kind === 'signedIn') return step.info;
      return await secondFactor(ctx, transport, step.pending);
    }
    return undefined;
  } finally {
    await transport.close();
  }
}

async function askUsername(ctx: CommandContext, transport: Transport, value: string | undefined, isValidUsername: (name: string) => boolean): Promise<string | undefined> {
  const input = await ctx.prompter.input({
    title: vscode.l10n.t('Proxmox VE: user name'),
    prompt: vscode.l10n.t('user@realm, e.g. root@pam or alice@pve. Without a realm you can pick one next.'),
    placeHolder: 'root@pam',
    ...(value ? { value } : {}),
    validate: (text) => {
      const t = text.trim();
      if (t === '') return vscode.l10n.t('Enter a user name.');
      if (t.includes('!')) return vscode.l10n.t('This is an API token id; use "Add Cluster…" for tokens.');
      if (t.includes('@') ? !isValidUsername(t) : /[\s:/]/.test(t)) return vscode.l10n.t('Expected user@realm, e.g. root@pam.');
      return undefined;
    },
  });
  const user = input?.trim();
  if (!user) return undefined;
  if (user.includes('@')) return user;
  const { listRealms } = await import('../../api/ticketAuth');
  const realms = await withProgress(vscode.l10n.t('Reading the realms…'), (signal) => listRealms(transport, signal));
  if (realms.length === 1 && realms[0]) return `${user}@${realms[0].realm}`;
  const sorted = [...realms].sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  const realm = await ctx.prompter.pick({
    title: vscode.l10n.t('Realm of {0}', user),
    placeHolder: vscode.l10n.t('Authentication realm'),
    items: sorted.map((r) => ({ label: r.realm, description: r.comment ?? r.type, value: r.realm })),
  });
  return realm ? `${user}@${realm}` : undefined;
}

/** The `tfa-challenge` step; the half ticket is reused for a retry (it is stateless on the server). */
async function secondFactor(ctx: CommandContext, transport: Transport, pending: PendingTfa): Promise<TicketInfo | undefined> {
  const { challenge } = pending;
  const recovery = challenge.recovery.length > 0;
  if (!challenge.totp && !recovery && !challenge.yubico) {
    throw new SignInFailedError(vscode.l10n.t('The second factor of {0} is WebAuthn or U2F, which only a browser can answer. Add this cluster with an API token instead.', pending.username));
  }
  const accepted: string[] = [];
  if (challenge.totp) accepted.push(vscode.l10n.t('the 6-digit code from your authenticator app'));
  if (challenge.yubico) accepted.push(vscode.l10n.t('a YubiKey OTP'));
  if (recovery) accepted.push(vscode.l10n.t('a recovery key (xxxx-xxxx-xxxx-xxxx, {0} left)', challenge.recovery.length));
  const what = accepted.join(vscode.l10n.t(' or '));
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const code = await ctx.prompter.input({
      title: vscode.l10n.t('Proxmox VE: second factor for {0}', pending.username),
      prompt: attempt === 1 ? vscode.l10n.t('Enter {0}.', what) : vscode.l10n.t('That code was not accepted (wrong, already used, or expired). Enter {0}.', what),
      password: true,
      validate: (text) => (toResponse(text.trim(), challenge.totp, recovery, challenge.yubico) ? undefined : vscode.l10n.t('Enter {0}.', what)),
    });
    if (code === undefined) return undefined;
    const response = toResponse(code.trim(), challenge.totp, recovery, challenge.yubico);
    if (!response) return undefined;
    const { answerTfa } = await import('../../api/ticketAuth');
    try {
      return await withProgress(vscode.l10n.t('Checking the second factor…'), (signal) => answerTfa(transport, pending, response, signal));
    } catch (error) {
      if (PveError.is(error, 'unauthorized') && attempt < ATTEMPTS) continue;
      throw explainFailure(error, 'code');
    }
  }
  return undefined;
}

function toResponse(text: string, totp: boolean, recovery: boolean, yubico: boolean): TfaResponse | undefined {
  if (totp && TOTP_PATTERN.test(text)) return { kind: 'totp', code: text };
  if (recovery && RECOVERY_PATTERN.test(text)) return { kind: 'recovery', key: text.toLowerCase() };
  if (yubico && YUBICO_PATTERN.test(text)) return { kind: 'yubico', otp: text };
  return undefined;
}

/** PVE answers every sign-in failure with the same 401; say what it can mean. */
function explainFailure(error: unknown, step: 'password' | 'code'): unknown {
  if (!PveError.is(error, 'unauthorized')) return error;
  return new SignInFailedError(
    step === 'password'
      ? vscode.l10n.t('Sign-in failed: the user name or password is wrong, or the account is disabled, expired or locked.')
      : vscode.l10n.t('Sign-in failed: the second factor was not accepted. Codes are valid for 30 seconds and only once; after 8 wrong codes TOTP is locked until a recovery key is used.'),
  );
}

function withProgress<T>(title: string, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (_progress, token) => {
      const controller = new AbortController();
      token.onCancellationRequested(() => { controller.abort(); });
      return task(controller.signal);
    }),
  );
}

/** A sign-in that cannot go on; its message is already localised and says what to do. */
export class SignInFailedError extends Error {
  override readonly name = 'SignInFailedError';
}
