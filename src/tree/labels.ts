import * as vscode from 'vscode';
import type { GuestAction } from '../api/client';
import type { GuestType } from '../api/paths';
import type { PowerState } from '../model/guestState';

/** Localised words for the model's states and actions, shared by the tree, modals and reports. */
export function powerLabel(state: PowerState): string {
  switch (state) {
    case 'running':
      return vscode.l10n.t('running');
    case 'paused':
      return vscode.l10n.t('paused');
    case 'hibernated':
      return vscode.l10n.t('hibernated');
    case 'stopped':
      return vscode.l10n.t('stopped');
    case 'unknown':
      return vscode.l10n.t('unknown');
  }
}

export function typeLabel(type: GuestType): string {
  return type === 'qemu' ? vscode.l10n.t('VM') : vscode.l10n.t('CT');
}

export function typeLongLabel(type: GuestType): string {
  return type === 'qemu' ? vscode.l10n.t('virtual machine') : vscode.l10n.t('container');
}

/** "Virtual machine" / "Container", to start a sentence. */
export function typeSentenceLabel(type: GuestType): string {
  return type === 'qemu' ? vscode.l10n.t('Virtual machine') : vscode.l10n.t('Container');
}

export function guestDisplayName(type: GuestType, vmid: number, name: string | undefined): string {
  return name ?? `${typeLabel(type)} ${vmid}`;
}

/** "stopping…", shown on the item while the task runs. */
export function progressLabel(action: GuestAction | 'snapshot' | 'rollback' | 'deleteSnapshot'): string {
  switch (action) {
    case 'start':
      return vscode.l10n.t('starting…');
    case 'shutdown':
      return vscode.l10n.t('shutting down…');
    case 'reboot':
      return vscode.l10n.t('rebooting…');
    case 'stop':
      return vscode.l10n.t('stopping…');
    case 'reset':
      return vscode.l10n.t('resetting…');
    case 'suspend':
      return vscode.l10n.t('pausing…');
    case 'hibernate':
      return vscode.l10n.t('hibernating…');
    case 'resume':
      return vscode.l10n.t('resuming…');
    case 'snapshot':
      return vscode.l10n.t('taking snapshot…');
    case 'rollback':
      return vscode.l10n.t('rolling back…');
    case 'deleteSnapshot':
      return vscode.l10n.t('deleting snapshot…');
  }
}

export function actionLabel(action: GuestAction): string {
  switch (action) {
    case 'start':
      return vscode.l10n.t('Start');
    case 'shutdown':
      return vscode.l10n.t('Shutdown');
    case 'reboot':
      return vscode.l10n.t('Reboot');
    case 'stop':
      return vscode.l10n.t('Stop');
    case 'reset':
      return vscode.l10n.t('Reset');
    case 'suspend':
      return vscode.l10n.t('Pause');
    case 'hibernate':
      return vscode.l10n.t('Hibernate');
    case 'resume':
      return vscode.l10n.t('Resume');
  }
}
