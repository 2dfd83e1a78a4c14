import * as vscode from 'vscode';
import type { SnapshotResult } from '../../actions/snapshotRunner';
import { snapshotNameProblem, type SnapshotNameProblem } from '../../api/paths';
import type { CommandContext } from '../commandContext';
import { resolveGuestTargets } from '../guest/guestTargets';
import { runSnapshotOperation } from './runSnapshotOperation';
import { reportSnapshot } from './snapshotText';

/** "Take Snapshot…": name (validated as PVE validates it), description, RAM for a running VM. */
export async function createSnapshot(ctx: CommandContext, ...args: unknown[]): Promise<SnapshotResult | undefined> {
  const [target] = await resolveGuestTargets(ctx, args.slice(0, 1));
  if (!target) return undefined;
  const name = await ctx.prompter.input({
    title: vscode.l10n.t('Take Snapshot'),
    prompt: vscode.l10n.t('Snapshot name: a letter first, then letters, digits, - or _ (2 to 40 characters).'),
    placeHolder: 'pre-update',
    validate: (value) => nameProblemText(snapshotNameProblem(value.trim())),
  });
  if (!name) return undefined;
  const description = await ctx.prompter.input({ title: vscode.l10n.t('Take Snapshot'), prompt: vscode.l10n.t('Description (optional)'), value: '' });
  if (description === undefined) return undefined;
  const trimmed = name.trim();
  const result = await runSnapshotOperation(ctx, target, { kind: 'create', name: trimmed, description }, async (plan) => {
    let vmstate = false;
    // Including RAM only means something for a running VM (PVE ignores it otherwise).
    if (plan.entry.type === 'qemu' && plan.power === 'running') {
      const withRam = vscode.l10n.t('Include RAM');
      const withoutRam = vscode.l10n.t('Disk Only');
      const choice = await ctx.prompter.confirm({
        message: vscode.l10n.t('Include the RAM of the running VM {0}?', plan.entry.name ?? String(plan.entry.vmid)),
        detail: vscode.l10n.t('With RAM, a rollback resumes the VM exactly where it was; the snapshot is larger and takes longer. Disk only is crash-consistent.'),
        buttons: [withRam, withoutRam],
        modal: true,
        severity: 'info',
      });
      if (choice === undefined) return undefined;
      vmstate = choice === withRam;
    }
    return { kind: 'create', name: trimmed, ...(description ? { description } : {}), ...(vmstate ? { vmstate } : {}) };
  });
  if (result) reportSnapshot(ctx, result, vmstate(result) ? vscode.l10n.t('snapshot "{0}" taken with RAM', trimmed) : vscode.l10n.t('snapshot "{0}" taken', trimmed));
  return result;
}

function vmstate(result: SnapshotResult): boolean {
  return result.plan.operation.kind === 'create' && result.plan.operation.vmstate === true;
}

export function nameProblemText(problem: SnapshotNameProblem | undefined): string | undefined {
  switch (problem) {
    case undefined:
      return undefined;
    case 'empty':
      return vscode.l10n.t('Enter a name.');
    case 'tooLong':
      return vscode.l10n.t('At most 40 characters.');
    case 'tooShort':
      return vscode.l10n.t('At least 2 characters.');
    case 'pattern':
      return vscode.l10n.t('Start with a letter; use only letters, digits, - and _.');
    case 'reserved':
      return vscode.l10n.t('"current", "pending" and "vzdump" are reserved by Proxmox VE.');
  }
}
