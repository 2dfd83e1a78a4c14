import * as vscode from 'vscode';
import type { ActionTarget } from '../../actions/actionTypes';
import type { GuestEntry } from '../../model/clusterIndex';
import type { CommandContext } from '../commandContext';
import { resolveGuestTargets } from '../guest/guestTargets';

/**
 * The guest a link command is about, with its facts from the latest picture (links need the
 * node and type, which come from the cluster, never from a guess). Says so when it is unknown.
 */
export async function targetGuest(ctx: CommandContext, args: readonly unknown[]): Promise<{ target: ActionTarget; entry: GuestEntry } | undefined> {
  const [target] = await resolveGuestTargets(ctx, args);
  if (!target) return undefined;
  const entry = target.session.findGuest(target.vmid) ?? target.seen;
  if (!entry) {
    void ctx.prompter.notify('warning', vscode.l10n.t('Guest {0} is not known; refresh the cluster first.', target.vmid));
    return undefined;
  }
  return { target, entry };
}
