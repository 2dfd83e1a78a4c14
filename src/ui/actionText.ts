import * as vscode from 'vscode';
import type { GuestAction } from '../api/client';
import type { ActionPlan, ActionResult, PictureChange } from '../actions/actionTypes';
import type { GuestEntry } from '../model/clusterIndex';
import { guestDisplayName, powerLabel, typeLabel, typeSentenceLabel } from '../tree/labels';

/** "VM 100 web01 on pve1": the exact target, as every confirmation and report names it. */
export function targetName(entry: GuestEntry, node = entry.node): string {
  const name = entry.name ? ` ${entry.name}` : '';
  return vscode.l10n.t('{0} {1}{2} on {3}', typeLabel(entry.type), entry.vmid, name, node);
}

export function consequence(action: GuestAction, entry: GuestEntry): string {
  switch (action) {
    case 'start':
      return vscode.l10n.t('The guest boots.');
    case 'resume':
      return entry.power === 'hibernated' ? vscode.l10n.t('The VM is restored from the memory image saved on disk.') : vscode.l10n.t('The guest continues where it was paused.');
    case 'shutdown':
      return vscode.l10n.t('The guest operating system is asked to shut down cleanly. Its services stop until it is started again.');
    case 'reboot':
      return vscode.l10n.t('The guest operating system restarts cleanly; its services are briefly unavailable.');
    case 'suspend':
      return entry.type === 'qemu'
        ? vscode.l10n.t('The VM is frozen in memory and stops responding until it is resumed.')
        : vscode.l10n.t('The container is checkpointed and frozen (experimental in Proxmox VE) until it is resumed.');
    case 'hibernate':
      return vscode.l10n.t('The VM\'s memory is written to disk and the VM stops; Resume restores it.');
    case 'stop':
      return vscode.l10n.t('Stop ends the guest immediately, like pulling the power plug: unsaved data in the guest is lost and file systems may need repair. Prefer Shutdown.');
    case 'reset':
      return vscode.l10n.t('Reset restarts the VM immediately without shutting down its operating system: unsaved data in the guest is lost.');
  }
}

export function changeText(change: PictureChange): string {
  switch (change.kind) {
    case 'moved':
      return vscode.l10n.t('It moved from node {0} to {1} since the tree was refreshed.', change.from, change.to);
    case 'state':
      return vscode.l10n.t('It is now {0} (the tree showed {1}).', powerLabel(change.to), powerLabel(change.from));
    case 'locked':
      return vscode.l10n.t('It is locked ({0}).', change.lock);
  }
}

export function confirmationFor(plan: ActionPlan, actionLabel: string): { message: string; detail: string } {
  const e = plan.entry;
  const message = vscode.l10n.t('{0} {1}?', actionLabel, targetName(e));
  const lines = [
    vscode.l10n.t('{0} {1} "{2}" on node {3} is {4}.', typeSentenceLabel(e.type), e.vmid, guestDisplayName(e.type, e.vmid, e.name), e.node, powerLabel(e.power)),
    '',
    consequence(plan.action, e),
  ];
  if (plan.changes.length > 0) lines.push('', vscode.l10n.t('Note: the guest changed since you clicked.'), ...plan.changes.map(changeText));
  return { message, detail: lines.join('\n') };
}

/** "VM 100 web01 on pve1: running → stopped", the one-line report after every action. */
export function reportLine(result: ActionResult): string {
  const e = result.plan.entry;
  const node = result.nodeAfter ?? e.node;
  const after = result.after ? powerLabel(result.after) : vscode.l10n.t('state unknown');
  const moved = node !== e.node ? ` (${vscode.l10n.t('now on {0}', node)})` : '';
  return `${targetName(e)}: ${powerLabel(result.before)} → ${after}${moved}`;
}
