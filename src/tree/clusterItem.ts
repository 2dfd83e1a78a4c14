import * as vscode from 'vscode';
import type { ClusterSession } from '../clusters/clusterSession';
import { Commands } from '../constants';
import type { GuestEntry } from '../model/clusterIndex';
import { sortedNodeNames } from '../model/clusterIndex';
import { groupKeys, matchesFilter } from '../model/guestFilter';
import { errorText } from '../ui/errorText';
import { GroupItem } from './groupItem';
import { Icons } from './icons';
import { MessageItem } from './messageItem';
import { NodeItem } from './nodeItem';
import type { TreeContext } from './treeContext';
import type { TreeNode } from './treeNode';
import { untrustedTooltip } from './tooltips';

/** A configured cluster: its connection state first, then its nodes (or tag/pool groups). */
export class ClusterItem implements TreeNode {
  readonly id: string;

  constructor(
    readonly session: ClusterSession,
    private readonly context: TreeContext,
  ) {
    this.id = session.config.id;
  }

  getTreeItem(): vscode.TreeItem {
    const s = this.session;
    const item = new vscode.TreeItem(s.config.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    const state = s.state;
    const index = s.index;
    if (index) {
      const guests = [...index.guests.values()];
      const running = guests.filter((g) => g.power === 'running').length;
      const parts = [vscode.l10n.t('{0} nodes · {1}/{2} running', index.nodes.size, running, guests.length)];
      if (s.isStale) parts.push(vscode.l10n.t('stale since {0}', timeOf(s.lastSuccess)));
      item.description = parts.join(' · ');
    } else if (state.kind === 'error') {
      item.description = vscode.l10n.t('unreachable');
    } else if (state.kind === 'needsSecret') {
      item.description = s.authKind === 'ticket' ? vscode.l10n.t('signed out') : vscode.l10n.t('token secret needed');
    } else {
      item.description = vscode.l10n.t('connecting…');
    }
    item.iconPath = state.kind === 'error' || state.kind === 'needsSecret' ? (index ? Icons.clusterStale() : Icons.clusterError()) : s.isRefreshing && !index ? Icons.loading() : Icons.cluster();
    item.contextValue = `cluster;state=${state.kind};${s.isStale ? 'stale;' : ''}${s.config.fingerprint ? 'pinned;' : ''}auth=${s.authKind};`;
    return item;
  }

  getTooltip(): vscode.MarkdownString {
    const s = this.session;
    return untrustedTooltip(s.config.name, [
      [vscode.l10n.t('URL'), s.config.url],
      [vscode.l10n.t('Token'), s.config.tokenId],
      [vscode.l10n.t('User'), s.config.username],
      [vscode.l10n.t('Certificate'), s.config.fingerprint ? vscode.l10n.t('pinned SHA-256 {0}', s.config.fingerprint) : s.config.caFile ? vscode.l10n.t('CA file {0}', s.config.caFile) : vscode.l10n.t('system trust store')],
      [vscode.l10n.t('Last refresh'), s.lastSuccess ? new Date(s.lastSuccess).toLocaleString() : undefined],
      [vscode.l10n.t('Error'), s.state.kind === 'error' ? errorText(s.state.error) : undefined],
    ]);
  }

  getChildren(): TreeNode[] {
    const s = this.session;
    const state = s.state;
    const messages: TreeNode[] = [];
    if (state.kind === 'needsSecret' && s.authKind === 'ticket') {
      return [
        new MessageItem(`${this.id}/msg/signin`, this, vscode.l10n.t('Sign in…'), Icons.key(), {
          title: vscode.l10n.t('Sign In'),
          command: Commands.signIn,
          arguments: [this.id],
        }),
      ];
    }
    if (state.kind === 'needsSecret') {
      return [
        new MessageItem(`${this.id}/msg/secret`, this, vscode.l10n.t('Enter the API token secret…'), Icons.key(), {
          title: vscode.l10n.t('Update Token'),
          command: Commands.updateToken,
          arguments: [this.id],
        }),
      ];
    }
    if (state.kind === 'error') {
      const text = errorText(state.error);
      if (s.index) {
        messages.push(new MessageItem(`${this.id}/msg/stale`, this, vscode.l10n.t('Stale (last refresh {0}): {1}', timeOf(s.lastSuccess), text), Icons.warning(), retry(this.id), text));
      } else {
        messages.push(new MessageItem(`${this.id}/msg/error`, this, text, Icons.error(), undefined, text, 'message;error;'));
      }
      messages.push(...this.nextSteps(state.error.reason, state.error.tls?.kind));
      if (!s.index) return messages;
    } else if (!s.index) {
      return [new MessageItem(`${this.id}/msg/loading`, this, vscode.l10n.t('Connecting…'), Icons.loading())];
    }
    return [...messages, ...this.dataChildren()];
  }

  private nextSteps(reason: string, tlsKind: string | undefined): TreeNode[] {
    const steps: TreeNode[] = [];
    if (reason === 'unauthorized' && this.session.authKind === 'ticket') {
      steps.push(new MessageItem(`${this.id}/msg/signin`, this, vscode.l10n.t('Sign in again…'), Icons.key(), { title: '', command: Commands.signIn, arguments: [this.id] }));
    } else if (reason === 'unauthorized') {
      steps.push(new MessageItem(`${this.id}/msg/token`, this, vscode.l10n.t('Update the API token…'), Icons.key(), { title: '', command: Commands.updateToken, arguments: [this.id] }));
    }
    if (reason === 'tls' && (tlsKind === 'untrusted' || tlsKind === 'fingerprintMismatch' || tlsKind === 'hostnameMismatch')) {
      const label = tlsKind === 'fingerprintMismatch' ? vscode.l10n.t('Review the new certificate…') : vscode.l10n.t('Review and trust the certificate…');
      steps.push(new MessageItem(`${this.id}/msg/trust`, this, label, Icons.warning(), { title: '', command: Commands.trustCertificate, arguments: [this.id] }));
    }
    steps.push(new MessageItem(`${this.id}/msg/retry`, this, vscode.l10n.t('Retry'), new vscode.ThemeIcon('refresh'), retry(this.id)));
    return steps;
  }

  private dataChildren(): TreeNode[] {
    const index = this.session.index;
    if (!index) return [];
    const grouping = this.context.settings.grouping;
    if (grouping === 'node') {
      return sortedNodeNames(index).map((node) => this.context.cached(`${this.id}/${node}`, () => new NodeItem(`${this.id}/${node}`, this.session, node, this, this.context)));
    }
    const groups = new Map<string, GuestEntry[]>();
    for (const guest of index.guests.values()) {
      if (!matchesFilter(guest, this.context.filter)) continue;
      for (const key of groupKeys(guest, grouping)) {
        let list = groups.get(key);
        if (!list) groups.set(key, (list = []));
        list.push(guest);
      }
    }
    const keys = [...groups.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)));
    return keys.map((key) => {
      const id = `${this.id}/${grouping}:${key}`;
      return this.context.cached(id, () => new GroupItem(id, this.session, grouping, key, this, this.context));
    });
  }

  getParent(): undefined {
    return undefined;
  }
}

function retry(clusterId: string): vscode.Command {
  return { title: vscode.l10n.t('Retry'), command: Commands.refreshCluster, arguments: [clusterId] };
}

function timeOf(ms: number | undefined): string {
  return ms ? new Date(ms).toLocaleTimeString() : '?';
}
