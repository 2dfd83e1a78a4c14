import * as vscode from 'vscode';
import { consoleUrl, defaultViewer } from '../../model/webUiLinks';
import { guestLabel } from '../shell/guestLabel';
import type { CommandContext } from '../commandContext';
import { resolveNodeTarget } from '../shell/nodeTarget';
import { openWebUiLink } from './openLink';
import { targetGuest } from './targetGuest';

/** "Open Console in Browser": the web UI's own console page, noVNC for VMs, xterm.js for containers. */
export async function openGuestConsoleInBrowser(ctx: CommandContext, ...args: unknown[]): Promise<boolean> {
  const found = await targetGuest(ctx, args);
  if (!found) return false;
  const { target, entry } = found;
  if (entry.resource.template) {
    void ctx.prompter.notify('info', vscode.l10n.t('{0} is a template: templates have no console.', guestLabel(entry)));
    return false;
  }
  const kind = entry.type === 'qemu' ? 'kvm' : 'lxc';
  const url = consoleUrl(target.session.config.url, { console: kind, viewer: defaultViewer(kind), node: entry.node, vmid: entry.vmid, ...(entry.name ? { vmname: entry.name } : {}) });
  return openWebUiLink(ctx, target.session, url, `the console of ${entry.type} ${entry.vmid}`);
}

/** "Open Shell in Browser" for a node: the web UI's xterm.js shell page. */
export async function openNodeConsoleInBrowser(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const target = await resolveNodeTarget(ctx, arg);
  if (!target) return false;
  const url = consoleUrl(target.session.config.url, { console: 'shell', viewer: defaultViewer('shell'), node: target.node });
  return openWebUiLink(ctx, target.session, url, `the shell of ${target.node}`);
}
