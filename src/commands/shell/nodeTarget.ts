import * as vscode from 'vscode';
import type { ClusterSession } from '../../clusters/clusterSession';
import { NodeItem } from '../../tree/nodeItem';
import type { CommandContext } from '../commandContext';

export interface NodeTarget {
  readonly session: ClusterSession;
  readonly node: string;
}

/** The node a node command is about: the clicked node, `{ clusterId, node }`, or a pick of the online nodes. */
export async function resolveNodeTarget(ctx: CommandContext, arg: unknown): Promise<NodeTarget | undefined> {
  if (arg instanceof NodeItem) return { session: arg.session, node: arg.node };
  if (typeof arg === 'object' && arg !== null) {
    const { clusterId, node } = arg as { clusterId?: unknown; node?: unknown };
    if (typeof clusterId === 'string' && typeof node === 'string') {
      const session = ctx.manager.get(clusterId);
      return session ? { session, node } : undefined;
    }
    return undefined; // something we do not understand: never guess a target
  }
  const items: { label: string; description: string; value: NodeTarget }[] = [];
  const several = ctx.manager.sessions.length > 1;
  for (const session of ctx.manager.sessions) {
    for (const node of session.index?.nodes.values() ?? []) {
      if (!node.online) continue;
      items.push({ label: node.name, description: several ? session.config.name : '', value: { session, node: node.name } });
    }
  }
  if (items.length === 0) {
    void ctx.prompter.notify('info', vscode.l10n.t('No online node is known yet; refresh the cluster first.'));
    return undefined;
  }
  if (items.length === 1) return items[0]?.value;
  return ctx.prompter.pick({ title: vscode.l10n.t('Choose a node'), placeHolder: vscode.l10n.t('Node'), items });
}
