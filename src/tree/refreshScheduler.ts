import * as vscode from 'vscode';
import type { ClusterManager } from '../clusters/clusterManager';
import type { ClusterSession } from '../clusters/clusterSession';

/**
 * Automatic refresh, only while the Clusters view is visible. Each cluster has its own timer,
 * one request in flight, and an interval stretched to at least 3 s + 2x the last request time
 * (what the PVE web UI does), so a slow server is not hammered. A cluster paused after a 401
 * waits for the user.
 */
export class RefreshScheduler implements vscode.Disposable {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private visible: boolean;

  constructor(
    private readonly manager: ClusterManager,
    private readonly view: vscode.TreeView<unknown>,
    private intervalSeconds: () => number,
  ) {
    this.visible = view.visible;
    this.disposables.push(
      view.onDidChangeVisibility((event) => {
        this.visible = event.visible;
        if (this.visible) this.refreshDue();
        else this.clearTimers();
      }),
      manager.onDidChangeSessions(() => {
        this.clearTimers();
        if (this.visible) this.refreshDue();
      }),
      manager.onDidFinishRefresh((session) => { this.schedule(session); }),
    );
    if (this.visible) this.refreshDue();
  }

  /** Settings changed: re-plan every timer. */
  restart(): void {
    this.clearTimers();
    if (this.visible) this.refreshDue();
  }

  private refreshDue(): void {
    for (const session of this.manager.sessions) {
      const age = session.lastSuccess === undefined ? Infinity : Date.now() - session.lastSuccess;
      if (age >= this.delayFor(session) && !session.authPaused) void session.refresh();
      else this.schedule(session);
    }
  }

  private delayFor(session: ClusterSession): number {
    const seconds = this.intervalSeconds();
    if (seconds <= 0) return Infinity;
    return Math.max(seconds * 1000, 3000 + 2 * session.lastDurationMs);
  }

  private schedule(session: ClusterSession): void {
    const id = session.config.id;
    const existing = this.timers.get(id);
    if (existing) clearTimeout(existing);
    this.timers.delete(id);
    const delay = this.delayFor(session);
    if (!this.visible || delay === Infinity || session.authPaused) return;
    const timer = setTimeout(() => {
      this.timers.delete(id);
      if (this.visible && this.manager.get(id) === session) void session.refresh();
    }, delay);
    timer.unref();
    this.timers.set(id, timer);
  }

  private clearTimers(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  dispose(): void {
    this.clearTimers();
    for (const d of this.disposables) d.dispose();
  }
}
