import * as vscode from 'vscode';
import { webUiUrl } from '../../model/webUiLinks';
import type { CommandContext } from '../commandContext';
import { resolveGuestTargets } from '../guest/guestTargets';
import { resolveNodeTarget } from '../shell/nodeTarget';
import { openWebUiLink } from './openLink';

/** "Open in Web UI": the PVE web UI with the guest selected in its resource tree. */
export async function openGuestInWebUi(ctx: CommandContext, ...args: unknown[]): Promise<boolean> {
  const [target] = await resolveGuestTargets(ctx, args);
  if (!target) return false;
  const entry = target.session.findGuest(target.vmid) ?? target.seen;
  if (!entry) {
    void ctx.prompter.notify('warning', vscode.l10n.t('Guest {0} is not known; refresh the cluster first.', target.vmid));
    return false;
  }
  return openWebUiLink(ctx, target.session, webUiUrl(target.session.config.url, { kind: entry.type, vmid: entry.vmid }), `${entry.type} ${entry.vmid}`);
}

/** "Open in Web UI" for a node. */
export async function openNodeInWebUi(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const target = await resolveNodeTarget(ctx, arg);
  if (!target) return false;
  return openWebUiLink(ctx, target.session, webUiUrl(target.session.config.url, { kind: 'node', node: target.node }), `node ${target.node}`);
}
