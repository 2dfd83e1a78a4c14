import * as vscode from 'vscode';
import type { GuestType } from '../api/paths';
import type { PowerState } from '../model/guestState';

/** Status as coloured codicons (no bitmaps), one place so the legend stays consistent. */
function icon(id: string, color?: string): vscode.ThemeIcon {
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

export interface GuestIconFacts {
  readonly type: GuestType;
  readonly power: PowerState;
  readonly locked: boolean;
  readonly template: boolean;
  readonly ha: boolean;
  readonly busy: boolean;
}

const POWER_COLOR: Record<PowerState, string> = {
  running: 'charts.green',
  paused: 'charts.yellow',
  hibernated: 'charts.blue',
  stopped: 'disabledForeground',
  unknown: 'problemsWarningIcon.foreground',
};

export function guestIcon(facts: GuestIconFacts): vscode.ThemeIcon {
  if (facts.busy) return icon('loading~spin');
  if (facts.template) return icon('file-code', 'descriptionForeground');
  if (facts.power === 'unknown') return icon('question', POWER_COLOR.unknown);
  if (facts.locked) return icon('lock', 'charts.orange');
  if (facts.power === 'paused') return icon('debug-pause', POWER_COLOR.paused);
  if (facts.power === 'hibernated') return icon('save', POWER_COLOR.hibernated);
  if (facts.ha) return icon('shield', POWER_COLOR[facts.power]);
  if (facts.type === 'lxc') return icon('package', POWER_COLOR[facts.power]);
  return icon(facts.power === 'running' ? 'vm-running' : 'vm-outline', POWER_COLOR[facts.power]);
}

export function nodeIcon(status: string): vscode.ThemeIcon {
  if (status === 'online') return icon('server', 'charts.green');
  if (status === 'offline') return icon('server', 'charts.red');
  return icon('server', POWER_COLOR.unknown);
}

export const Icons = {
  cluster: (): vscode.ThemeIcon => icon('server-environment'),
  clusterError: (): vscode.ThemeIcon => icon('error', 'problemsErrorIcon.foreground'),
  clusterStale: (): vscode.ThemeIcon => icon('warning', 'problemsWarningIcon.foreground'),
  loading: (): vscode.ThemeIcon => icon('loading~spin'),
  storageFolder: (): vscode.ThemeIcon => icon('database'),
  storage: (available: boolean): vscode.ThemeIcon => icon('database', available ? undefined : 'disabledForeground'),
  snapshot: (withRam: boolean): vscode.ThemeIcon => icon(withRam ? 'device-camera' : 'history'),
  snapshotCurrent: (): vscode.ThemeIcon => icon('debug-stackframe', 'charts.green'),
  tag: (): vscode.ThemeIcon => icon('tag'),
  pool: (): vscode.ThemeIcon => icon('folder-library'),
  info: (): vscode.ThemeIcon => icon('info'),
  warning: (): vscode.ThemeIcon => icon('warning', 'problemsWarningIcon.foreground'),
  error: (): vscode.ThemeIcon => icon('error', 'problemsErrorIcon.foreground'),
  key: (): vscode.ThemeIcon => icon('key'),
};
