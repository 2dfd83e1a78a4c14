import * as vscode from 'vscode';
import { PveError } from '../api/errors';
import { SignInRequiredError } from '../api/consoleErrors';
import { MissingSecretError } from '../clusters/clusterSession';

/**
 * Turns API errors into localised sentences that say what happened and what to do next. The
 * server's own text (e.g. "VM is locked (backup)") is kept, because it is the most precise fact.
 */
export function errorText(error: unknown): string {
  if (error instanceof MissingSecretError) {
    return error.kind === 'ticket' ? vscode.l10n.t('Not signed in: sign in with your Proxmox VE user name and password.') : vscode.l10n.t('No API token secret is stored for this cluster.');
  }
  if (SignInRequiredError.isSignIn(error)) {
    return error.why === 'lapsed'
      ? vscode.l10n.t('The sign-in has expired (Proxmox VE tickets last 2 hours): sign in again.')
      : vscode.l10n.t('The server no longer accepts the sign-in (expired, or the user was changed or disabled): sign in again.');
  }
  if (!(error instanceof PveError)) return error instanceof Error ? error.message : String(error);
  switch (error.reason) {
    case 'unauthorized':
      return vscode.l10n.t('Authentication failed (401): the token id or secret is wrong, or the token was revoked or expired.');
    case 'forbidden':
      return error.permission
        ? vscode.l10n.t('Permission denied: the token lacks {0} on {1}.', error.permission.privileges.join(vscode.l10n.t(' or ')), error.permission.path)
        : vscode.l10n.t('Permission denied (403): {0}', error.message);
    case 'tls':
      return tlsText(error);
    case 'network':
      return error.requestMayHaveBeenApplied
        ? vscode.l10n.t('The connection broke after the request was sent; the outcome is unknown. {0}', error.message)
        : vscode.l10n.t('Cannot reach the server: {0}', error.message);
    case 'timeout':
      return error.upid ? vscode.l10n.t('The task is still running on the server; stopped waiting for it.') : vscode.l10n.t('The server did not answer in time.');
    case 'nodeUnreachable':
      return vscode.l10n.t('The cluster could not reach that node: {0}', error.message);
    case 'invalidResponse':
      return vscode.l10n.t('Unexpected answer from the server: {0}', error.message);
    case 'badRequest':
      return error.errors
        ? `${error.message} ${Object.entries(error.errors).map(([k, v]) => `${k}: ${v}`).join('; ')}`
        : error.message;
    case 'taskFailed':
      return vscode.l10n.t('The task failed: {0}', error.message);
    case 'cancelled':
      return vscode.l10n.t('Cancelled.');
    case 'invalidInput':
      return vscode.l10n.t('Invalid input: {0}', error.message);
    case 'notFound':
    case 'conflict':
    case 'serverError':
      return error.message;
  }
}

function tlsText(error: PveError): string {
  switch (error.tls?.kind) {
    case 'fingerprintMismatch':
      return vscode.l10n.t(
        'The server certificate has CHANGED. Pinned: {0}. Presented: {1}. This can be a legitimate certificate renewal or someone intercepting the connection; compare with the node\'s Certificates panel before trusting it.',
        error.tls.expected ?? '?',
        error.tls.actual ?? '?',
      );
    case 'untrusted':
      return vscode.l10n.t('The server certificate is not trusted ({0}).', error.message);
    case 'hostnameMismatch':
      return vscode.l10n.t('The certificate is not valid for this host name; use the name in the certificate or pin its fingerprint.');
    case 'noCertificate':
      return vscode.l10n.t('The server presented no certificate.');
    case 'handshake':
    case undefined:
      return vscode.l10n.t('TLS failed: {0}', error.message);
  }
}
