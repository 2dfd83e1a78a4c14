import * as vscode from 'vscode';
import type { ClusterManager } from '../clusters/clusterManager';
import { Commands } from '../constants';

/** "Proxmox 14:05:12": when the data was last refreshed, and a warning when a cluster is stale. */
export class RefreshStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('proxmox.refreshStatus', vscode.StatusBarAlignment.Left, 10);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly manager: ClusterManager) {
    this.item.name = vscode.l10n.t('Proxmox refresh status');
    this.item.command = Commands.refreshClusters;
    this.disposables.push(manager.onDidChangeSession(() => { this.update(); }), manager.onDidChangeSessions(() => { this.update(); }));
    this.update();
  }

  update(): void {
    const sessions = this.manager.sessions;
    if (sessions.length === 0) {
      this.item.hide();
      return;
    }
    const times = sessions.map((s) => s.lastSuccess).filter((t): t is number => t !== undefined);
    const problem = sessions.some((s) => s.state.kind === 'error' || s.state.kind === 'needsSecret');
    const refreshing = sessions.some((s) => s.isRefreshing);
    const latest = times.length > 0 ? new Date(Math.min(...times)).toLocaleTimeString() : '—';
    this.item.text = `${refreshing ? '$(sync~spin)' : problem ? '$(warning)' : '$(server-environment)'} ${latest}`;
    const lines = sessions.map((s) => {
      const when = s.lastSuccess ? new Date(s.lastSuccess).toLocaleTimeString() : vscode.l10n.t('never');
      const state = s.state.kind === 'error' ? vscode.l10n.t('stale') : s.state.kind === 'needsSecret' ? (s.authKind === 'ticket' ? vscode.l10n.t('signed out') : vscode.l10n.t('token secret needed')) : vscode.l10n.t('ok');
      return `${s.config.name}: ${when} (${state})`;
    });
    this.item.tooltip = `${vscode.l10n.t('Proxmox VE: last refresh (click to refresh now)')}\n${lines.join('\n')}`;
    this.item.backgroundColor = problem ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
