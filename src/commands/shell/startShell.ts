import * as vscode from 'vscode';
import { PveError } from '../../api/errors';
import { SignInRequiredError, TermproxyError } from '../../api/consoleErrors';
import type { TermEnd, TermproxyConnection, TermTarget } from '../../api/termproxy';
import type { ClusterSession } from '../../clusters/clusterSession';
import { Commands } from '../../constants';
import type { ShellSession } from '../../terminal/shellSessions';
import { TermproxyPty } from '../../terminal/termproxyPty';
import { errorText } from '../../ui/errorText';
import type { CommandContext } from '../commandContext';

/** Roles that carry each console privilege (CONSOLE.md §5), for the "ask for" hint. */
const ROLES: Readonly<Record<string, string>> = {
  'Sys.Console': 'PVESysAdmin, PVEAdmin, Administrator',
  'VM.Console': 'PVEVMUser, PVEVMAdmin, PVEAdmin',
};

/**
 * Creates the termproxy, connects the websocket at once (termproxy waits only 10 s, the VNC
 * ticket lives 40 s) and, once termproxy said OK, opens a VS Code terminal on it. A refusal is
 * explained with the next step instead of leaving a dead terminal behind.
 */
export async function startShell(ctx: CommandContext, session: ClusterSession, target: TermTarget, name: string, browserCommand: { command: string; args: unknown[] }): Promise<ShellSession | undefined> {
  const access = await session.access();
  const endpoint = access.endpoint;
  if (!endpoint) {
    void ctx.prompter.notify('info', vscode.l10n.t('Shells need an HTTPS connection to pveproxy. On this node itself, use a terminal: `pct enter <vmid>`, `qm terminal <vmid>`, or a shell here.'));
    return undefined;
  }
  let connection: TermproxyConnection;
  try {
    connection = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Opening {0}…', name), cancellable: true },
      async (_progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => { controller.abort(); });
        // undici and ws load with the first shell, not on activation.
        const { TermproxyConnection, createTermproxy } = await import('../../api/termproxy');
        const grant = await createTermproxy(access.transport, target, controller.signal);
        ctx.redactor.addSecret(grant.ticket);
        ctx.log.info(`${session.config.name}: ${name}: termproxy on port ${grant.port}, task ${grant.upid}`);
        return TermproxyConnection.open(endpoint, target, grant, { signal: controller.signal });
      },
    );
  } catch (error) {
    if (PveError.is(error, 'cancelled')) return undefined;
    const explained = explain(error, target, access.authKind);
    if (!explained) throw error;
    ctx.log.error(`${session.config.name}: ${name} refused`, error);
    const openInBrowser = vscode.l10n.t('Open in Browser');
    const signIn = vscode.l10n.t('Add Cluster with Password…');
    const actions = explained.tokenProblem ? [signIn, openInBrowser] : [openInBrowser];
    void ctx.prompter.notify('error', ctx.redactor.redact(explained.text), ...actions).then((choice) => {
      if (choice === openInBrowser) void vscode.commands.executeCommand(browserCommand.command, ...browserCommand.args);
      if (choice === signIn) void vscode.commands.executeCommand(Commands.addClusterWithPassword);
    });
    return undefined;
  }
  const ticket = connection.grant.ticket;
  const registered: { shell?: ShellSession } = {};
  const pty = new TermproxyPty(connection, name, endedText, () => {
    if (registered.shell) ctx.shells.remove(registered.shell);
    ctx.redactor.removeSecret(ticket);
  });
  connection.onEnd((end) => {
    ctx.log.info(`${session.config.name}: ${name} ended (${end.kind === 'error' ? end.error.message : end.kind})`);
  });
  const terminal = vscode.window.createTerminal({
    name,
    pty,
    iconPath: new vscode.ThemeIcon(target.type === 'node' ? 'server' : target.type === 'lxc' ? 'package' : 'vm'),
    // A websocket cannot survive a window reload: do not offer to restore it.
    isTransient: true,
  });
  const shell: ShellSession = { clusterId: session.config.id, name, terminal, pty };
  registered.shell = shell;
  ctx.shells.add(shell);
  terminal.show();
  return shell;
}

function endedText(end: TermEnd): string {
  return end.kind === 'error'
    ? vscode.l10n.t('Connection lost: {0}. Press any key to close this terminal.', end.error.message)
    : vscode.l10n.t('Session ended. Press any key to close this terminal.');
}

/** The refusals of CONSOLE.md §2 in words, with what to do; undefined for anything else. */
function explain(error: unknown, target: TermTarget, authKind: string): { text: string; tokenProblem: boolean } | undefined {
  // A lapsed sign-in goes to the error boundary, which offers "Sign In Again".
  if (SignInRequiredError.isSignIn(error)) return undefined;
  const privilege = target.type === 'node' ? 'Sys.Console' : 'VM.Console';
  const path = target.type === 'node' ? `/nodes/${target.node}` : `/vms/${target.vmid}`;
  if (PveError.is(error, 'forbidden') && !TermproxyError.isTermproxy(error)) {
    const p = error.permission;
    return {
      text: vscode.l10n.t('Permission denied: {0} is needed on {1} (roles {2}). Ask an administrator, or sign in as a user who has it.', p?.privileges.join(' | ') ?? privilege, p?.path ?? path, ROLES[privilege] ?? ''),
      tokenProblem: false,
    };
  }
  if (TermproxyError.isTermproxy(error)) {
    if (authKind === 'token') {
      return {
        text:
          target.type === 'node'
            ? vscode.l10n.t('The node shell was refused after connecting. Proxmox VE accepts API tokens for node shells only since 9.1 (pve-manager 9.0.13), and then shows a login prompt. Sign in with a password instead, or update Proxmox VE.')
            : vscode.l10n.t('The terminal was refused after connecting. Proxmox VE accepts API tokens for guest terminals only since the April 2026 updates (qemu-server 9.1.7, pve-container 6.1.3). Sign in with a password instead, or update Proxmox VE.'),
        tokenProblem: true,
      };
    }
    return { text: vscode.l10n.t('The terminal was refused after connecting: termproxy did not accept the ticket, or {0} on {1} was removed meanwhile. Try again; if it keeps failing, sign in again.', privilege, path), tokenProblem: false };
  }
  if (PveError.is(error, 'serverError') && target.type === 'node' && authKind === 'token') {
    return {
      text: vscode.l10n.t('The server refused the node shell: {0}. Proxmox VE before 9.1 does not accept API tokens for node shells. Sign in with a password instead, or update Proxmox VE.', error.message),
      tokenProblem: true,
    };
  }
  if (PveError.is(error, 'unauthorized')) {
    // A 401 on the websocket upgrade is about the VNC ticket (40 s, bound to this host and port).
    return { text: vscode.l10n.t('The terminal ticket was refused ({0}). It is valid for 40 seconds on the host that issued it; try again.', error.message), tokenProblem: false };
  }
  if (PveError.is(error)) return { text: errorText(error), tokenProblem: false };
  return undefined;
}
