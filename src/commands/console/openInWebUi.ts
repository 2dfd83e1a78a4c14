import { webUiUrl } from '../../model/webUiLinks';
import type { CommandContext } from '../commandContext';
import { resolveNodeTarget } from '../shell/nodeTarget';
import { openWebUiLink } from './openLink';
import { targetGuest } from './targetGuest';

/** "Open in Web UI": the PVE web UI with the guest selected in its resource tree. */
export async function openGuestInWebUi(ctx: CommandContext, ...args: unknown[]): Promise<boolean> {
  const found = await targetGuest(ctx, args);
  if (!found) return false;
  const { target, entry } = found;
  return openWebUiLink(ctx, target.session, webUiUrl(target.session.config.url, { kind: entry.type, vmid: entry.vmid }), `${entry.type} ${entry.vmid}`);
}

/** "Open in Web UI" for a node. */
export async function openNodeInWebUi(ctx: CommandContext, arg?: unknown): Promise<boolean> {
  const target = await resolveNodeTarget(ctx, arg);
  if (!target) return false;
  return openWebUiLink(ctx, target.session, webUiUrl(target.session.config.url, { kind: 'node', node: target.node }), `node ${target.node}`);
}
