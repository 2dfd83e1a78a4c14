import * as vscode from 'vscode';
import { PveError } from '../../api/errors';
import type { ClusterManager } from '../../clusters/clusterManager';
import { errorText } from '../errorText';
import type { Logger } from '../logger';
import { parseDocumentUri } from './documentUris';

const FOLLOW_INTERVAL_MS = 1000;

/**
 * Serves the `proxmox:` documents. JSON is pretty-printed with sorted keys (like `pvesh get
 * --output-format json-pretty`), so two documents diff cleanly. A running task's log is re-read
 * every second until the task stops.
 */
export class ProxmoxDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly followers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly manager: ClusterManager,
    private readonly log: Logger,
  ) {
    this.disposables.push(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.stopFollowing(doc.uri);
      }),
    );
  }

  refresh(uri: vscode.Uri): void {
    this.emitter.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const target = parseDocumentUri(uri);
    if (!target) return `Unknown document: ${uri.toString()}`;
    const session = this.manager.get(target.clusterId);
    if (!session) return vscode.l10n.t('The cluster "{0}" is not configured.', target.clusterId);
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => { controller.abort(); });
    try {
      const client = await session.client();
      if (target.kind === 'api') {
        const { data, total } = await client.getUserPath(target.apiPath, target.params, controller.signal);
        return `${stableStringify(total === undefined ? data : { data, total })}\n`;
      }
      const [status, log] = await Promise.all([client.taskStatus(target.upid, controller.signal), client.taskLog(target.upid, { start: 0, limit: 0 }, controller.signal)]);
      if (status.status === 'running') this.follow(uri);
      else this.stopFollowing(uri);
      const header = status.status === 'running' ? vscode.l10n.t('[task running: this log follows it]') : vscode.l10n.t('[task finished: {0}]', status.exitstatus ?? '?');
      return `${header}\n${log.lines.map((l) => l.t).join('\n')}\n`;
    } catch (error) {
      if (!PveError.is(error, 'cancelled')) this.log.error(`Document ${uri.path} failed`, error);
      return `${vscode.l10n.t('Could not read {0}:', target.kind === 'api' ? target.apiPath : target.upid)}\n${errorText(error)}\n`;
    } finally {
      subscription.dispose();
    }
  }

  private follow(uri: vscode.Uri): void {
    const key = uri.toString();
    if (this.followers.has(key)) return;
    const timer = setInterval(() => { this.emitter.fire(uri); }, FOLLOW_INTERVAL_MS);
    this.followers.set(key, timer);
  }

  private stopFollowing(uri: vscode.Uri): void {
    const key = uri.toString();
    const timer = this.followers.get(key);
    if (timer) clearInterval(timer);
    this.followers.delete(key);
  }

  dispose(): void {
    for (const timer of this.followers.values()) clearInterval(timer);
    this.followers.clear();
    this.emitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** JSON with object keys sorted at every level, as `pvesh` prints it. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}
