import * as vscode from 'vscode';
import { Settings } from '../../constants';
import type { Grouping } from '../../model/guestFilter';
import type { CommandContext } from '../commandContext';

/** "Group By…": node (default), tag or pool; stored in the `proxmox.tree.groupBy` setting. */
export async function groupBy(ctx: CommandContext, value?: unknown): Promise<void> {
  const grouping =
    value === 'node' || value === 'tag' || value === 'pool'
      ? value
      : await ctx.prompter.pick<Grouping>({
          title: vscode.l10n.t('Group guests by'),
          placeHolder: vscode.l10n.t('Grouping'),
          items: [
            { label: vscode.l10n.t('Node'), value: 'node', picked: ctx.tree.settings.grouping === 'node' },
            { label: vscode.l10n.t('Tag'), value: 'tag', picked: ctx.tree.settings.grouping === 'tag' },
            { label: vscode.l10n.t('Pool'), value: 'pool', picked: ctx.tree.settings.grouping === 'pool' },
          ],
        });
  if (!grouping) return;
  await vscode.workspace.getConfiguration(Settings.section).update(Settings.groupBy, grouping, vscode.ConfigurationTarget.Global);
}
