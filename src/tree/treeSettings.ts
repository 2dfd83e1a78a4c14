import * as vscode from 'vscode';
import { Settings } from '../constants';
import type { DescriptionField, TreeSettings } from './treeContext';

const FIELDS: readonly DescriptionField[] = ['vmid', 'cpu', 'memory', 'uptime', 'tags'];

export function readTreeSettings(): TreeSettings {
  const config = vscode.workspace.getConfiguration(Settings.section);
  const grouping = config.get<string>(Settings.groupBy);
  const description = config.get<unknown>(Settings.description);
  return {
    grouping: grouping === 'tag' || grouping === 'pool' ? (grouping) : 'node',
    description: Array.isArray(description) ? description.filter((f): f is DescriptionField => FIELDS.includes(f as DescriptionField)) : ['vmid', 'cpu', 'memory'],
    showTemplates: config.get<boolean>(Settings.showTemplates) ?? true,
    showStorage: config.get<boolean>(Settings.showStorage) ?? true,
  };
}

/** Seconds between automatic refreshes; 0 turns them off. */
export function readRefreshInterval(): number {
  const value = vscode.workspace.getConfiguration(Settings.section).get<number>(Settings.refreshInterval) ?? 10;
  return Number.isFinite(value) && value > 0 ? Math.max(3, value) : 0;
}
