import * as vscode from 'vscode';
import type { ClusterManager } from '../../clusters/clusterManager';
import type { ClusterSession } from '../../clusters/clusterSession';
import { Commands } from '../../constants';
import { formatDuration } from '../../model/format';
import { fromListItem, fromUpid, mergeTasks, TASK_VERBS, type TaskInfo } from '../../model/taskInfo';
import type { Logger } from '../../ui/logger';
import { errorText } from '../../ui/errorText';
import { untrustedTooltip } from '../tooltips';

const REFRESH_MS = 5000;

type Element = { readonly kind: 'cluster'; readonly session: ClusterSession } | { readonly kind: 'task'; readonly clusterId: string; readonly task: TaskInfo } | { readonly kind: 'message'; readonly text: string };

/**
 * The Tasks view: running and recent tasks per cluster from `/cluster/tasks`, refreshed every
 * 5 s while visible. Tasks started by this extension appear at once, before the server lists them.
 */
export class TasksTreeProvider implements vscode.TreeDataProvider<Element>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Element | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly tasks = new Map<string, TaskInfo[]>();
  private readonly local = new Map<string, TaskInfo[]>();
  private readonly errors = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;
  private visible = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly manager: ClusterManager,
    private readonly log: Logger,
  ) {
    this.disposables.push(manager.onDidChangeSessions(() => { this.refreshAll(); }));
  }

  attach(view: vscode.TreeView<Element>): void {
    this.visible = view.visible;
    this.disposables.push(
      view.onDidChangeVisibility((e) => {
        this.visible = e.visible;
        if (e.visible) this.refreshAll();
        else this.stopTimer();
      }),
    );
    if (this.visible) this.refreshAll();
  }

  /** Called by the action runners with every UPID they get back. */
  addLocalTask(clusterId: string, upid: string): void {
    const task = fromUpid(upid);
    if (!task) return;
    this.local.set(clusterId, [task, ...(this.local.get(clusterId) ?? [])].slice(0, 20));
    this.emitter.fire(undefined);
    if (this.visible) void this.refresh(clusterId);
  }

  tasksOf(clusterId: string): readonly TaskInfo[] {
    return mergeTasks(this.tasks.get(clusterId) ?? [], this.local.get(clusterId) ?? []);
  }

  refreshAll(): void {
    for (const session of this.manager.sessions) void this.refresh(session.config.id);
  }

  async refresh(clusterId: string): Promise<void> {
    const session = this.manager.get(clusterId);
    if (!session) return;
    try {
      const client = await session.client();
      const list = await client.clusterTasks();
      this.tasks.set(clusterId, list.map(fromListItem));
      this.errors.delete(clusterId);
      // Once the server lists a local task, the local copy is no longer needed.
      const listed = new Set(list.map((t) => t.upid));
      this.local.set(clusterId, (this.local.get(clusterId) ?? []).filter((t) => !listed.has(t.upid)));
    } catch (error) {
      this.errors.set(clusterId, errorText(error));
      this.log.debug(`Tasks of ${clusterId}: ${errorText(error)}`);
    }
    this.emitter.fire(undefined);
    this.schedule();
  }

  private schedule(): void {
    this.stopTimer();
    if (!this.visible) return;
    this.timer = setTimeout(() => { this.refreshAll(); }, REFRESH_MS);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  getChildren(element?: Element): Element[] {
    const sessions = this.manager.sessions;
    if (!element) {
      if (sessions.length === 1 && sessions[0]) return this.taskElements(sessions[0]);
      return sessions.map((session) => ({ kind: 'cluster', session }));
    }
    return element.kind === 'cluster' ? this.taskElements(element.session) : [];
  }

  private taskElements(session: ClusterSession): Element[] {
    const id = session.config.id;
    const tasks = this.tasksOf(id);
    const error = this.errors.get(id);
    const out: Element[] = [];
    if (error) out.push({ kind: 'message', text: error });
    if (tasks.length === 0 && !error) out.push({ kind: 'message', text: vscode.l10n.t('No recent tasks.') });
    for (const task of tasks) out.push({ kind: 'task', clusterId: id, task });
    return out;
  }

  getTreeItem(element: Element): vscode.TreeItem {
    switch (element.kind) {
      case 'cluster': {
        const item = new vscode.TreeItem(element.session.config.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `tasks/${element.session.config.id}`;
        item.iconPath = new vscode.ThemeIcon('server-environment');
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(element.text);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
      case 'task':
        return taskTreeItem(element.clusterId, element.task);
    }
  }

  resolveTreeItem(item: vscode.TreeItem, element: Element): vscode.TreeItem {
    if (element.kind !== 'task') return item;
    const t = element.task;
    item.tooltip = untrustedTooltip(taskTitle(t), [
      [vscode.l10n.t('Node'), t.node],
      [vscode.l10n.t('User'), t.user],
      [vscode.l10n.t('Started'), new Date(t.starttime * 1000).toLocaleString()],
      [vscode.l10n.t('Ended'), t.endtime ? new Date(t.endtime * 1000).toLocaleString() : undefined],
      [vscode.l10n.t('Status'), t.state === 'running' ? vscode.l10n.t('running') : t.status],
      ['UPID', t.upid],
    ]);
    return item;
  }

  dispose(): void {
    this.stopTimer();
    this.emitter.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export function taskTitle(task: TaskInfo): string {
  const verb = TASK_VERBS[task.type];
  if (!verb) return `${task.type}${task.id ? ` ${task.id}` : ''}`;
  const target = verb[1] === 'VM' ? vscode.l10n.t('VM') : verb[1] === 'CT' ? vscode.l10n.t('CT') : vscode.l10n.t('guest');
  return `${target} ${task.id}: ${verb[0]}`;
}

function taskTreeItem(clusterId: string, task: TaskInfo): vscode.TreeItem {
  const item = new vscode.TreeItem(taskTitle(task), vscode.TreeItemCollapsibleState.None);
  item.id = `tasks/${clusterId}/${task.upid}`;
  const seconds = (task.endtime ?? Math.floor(Date.now() / 1000)) - task.starttime;
  const parts = [task.node, task.user, formatDuration(seconds)];
  if (task.state === 'error' && task.status) parts.unshift(task.status);
  if (task.state === 'warning' && task.status) parts.unshift(task.status);
  item.description = parts.join(' · ');
  item.iconPath =
    task.state === 'running'
      ? new vscode.ThemeIcon('loading~spin')
      : task.state === 'ok'
        ? new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green'))
        : task.state === 'warning'
          ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('charts.yellow'))
          : new vscode.ThemeIcon('error', new vscode.ThemeColor('charts.red'));
  item.contextValue = `task;status=${task.state};`;
  item.command = { title: vscode.l10n.t('Show Task Log'), command: Commands.showTaskLog, arguments: [clusterId, task.upid] };
  return item;
}
