import * as vscode from 'vscode';
import { Commands, type CommandId } from '../constants';
import { addCluster } from './cluster/addCluster';
import { addLocalNode } from './cluster/addLocalNode';
import { editCluster, renameCluster } from './cluster/editCluster';
import { importFromEnv } from './cluster/importFromEnv';
import { removeCluster } from './cluster/removeCluster';
import { testConnectionCommand } from './cluster/testConnectionCommand';
import { trustCertificate } from './cluster/trustCertificate';
import { updateToken } from './cluster/updateToken';
import type { CommandContext } from './commandContext';
import { runCommand } from './runCommand';
import { EMPTY_FILTER } from '../model/guestFilter';
import { applyFilter, filterGuests } from './view/filter';
import { groupBy } from './view/groupBy';
import { refreshAll, refreshCluster } from './view/refresh';
import { hibernateGuest } from './guest/hibernateGuest';
import { rebootGuest } from './guest/rebootGuest';
import { resetGuest } from './guest/resetGuest';
import { resumeGuest } from './guest/resumeGuest';
import { shutdownGuest } from './guest/shutdownGuest';
import { startGuest } from './guest/startGuest';
import { stopGuest } from './guest/stopGuest';
import { suspendGuest } from './guest/suspendGuest';
import { createSnapshot } from './snapshot/createSnapshot';
import { deleteSnapshot } from './snapshot/deleteSnapshot';
import { editSnapshotDescription } from './snapshot/editSnapshotDescription';
import { rollbackSnapshot } from './snapshot/rollbackSnapshot';
import { diffSnapshot, showSnapshotConfig } from './snapshot/showSnapshotConfig';
import { showTaskLog } from './task/showTaskLog';
import { stopTask } from './task/stopTask';
import { copyAsCurl, copyAsPvesh, refreshDocument } from './query/copyAsCommand';
import { findGuest, jumpToGuest } from './query/findGuest';
import { getApiPath } from './query/getApiPath';
import { showClusterResources, showClusterStatus, showGuestConfig, showGuestStatus, showNodeStatus, showStorageStatus } from './query/showDocuments';

import { addClusterWithPassword } from './session/addClusterWithPassword';
import { signIn } from './session/signIn';
import { signOut } from './session/signOut';
import { openNodeShell } from './shell/openNodeShell';
import { openGuestShell } from './shell/openGuestShell';
import { openGuestConsoleInBrowser, openNodeConsoleInBrowser } from './console/openConsoleInBrowser';
import { openGuestInWebUi, openNodeInWebUi } from './console/openInWebUi';
import { connectSsh } from './ssh/connectSsh';

type Handler = (ctx: CommandContext, ...args: unknown[]) => unknown;

/** The id → handler table; every handler runs inside the one error boundary. */
const HANDLERS: Readonly<Record<CommandId, Handler>> = {
  [Commands.addCluster]: (ctx) => addCluster(ctx),
  [Commands.importFromEnv]: (ctx) => importFromEnv(ctx),
  [Commands.addLocalNode]: (ctx) => addLocalNode(ctx),
  [Commands.editCluster]: (ctx, arg) => editCluster(ctx, arg),
  [Commands.renameCluster]: (ctx, arg) => renameCluster(ctx, arg),
  [Commands.removeCluster]: (ctx, arg) => removeCluster(ctx, arg),
  [Commands.updateToken]: (ctx, arg) => updateToken(ctx, arg),
  [Commands.trustCertificate]: (ctx, arg) => trustCertificate(ctx, arg),
  [Commands.testConnection]: (ctx, arg) => testConnectionCommand(ctx, arg),
  [Commands.refreshCluster]: (ctx, arg) => refreshCluster(ctx, arg),
  [Commands.refreshClusters]: (ctx) => refreshAll(ctx),
  [Commands.filter]: (ctx) => filterGuests(ctx),
  [Commands.clearFilter]: (ctx) => { applyFilter(ctx, EMPTY_FILTER); },
  [Commands.groupBy]: (ctx, arg) => groupBy(ctx, arg),
  [Commands.showLog]: (ctx) => { ctx.log.show(); },
  [Commands.startGuest]: startGuest,
  [Commands.shutdownGuest]: shutdownGuest,
  [Commands.rebootGuest]: rebootGuest,
  [Commands.stopGuest]: stopGuest,
  [Commands.resetGuest]: resetGuest,
  [Commands.suspendGuest]: suspendGuest,
  [Commands.hibernateGuest]: hibernateGuest,
  [Commands.resumeGuest]: resumeGuest,
  [Commands.createSnapshot]: createSnapshot,
  [Commands.deleteSnapshot]: deleteSnapshot,
  [Commands.rollbackSnapshot]: rollbackSnapshot,
  [Commands.editSnapshotDescription]: editSnapshotDescription,
  [Commands.showSnapshotConfig]: showSnapshotConfig,
  [Commands.diffSnapshot]: diffSnapshot,
  [Commands.showTaskLog]: showTaskLog,
  [Commands.stopTask]: stopTask,
  [Commands.getApiPath]: getApiPath,
  [Commands.copyAsPvesh]: (ctx, uri) => copyAsPvesh(ctx, uri),
  [Commands.copyAsCurl]: (ctx, uri) => copyAsCurl(ctx, uri),
  [Commands.refreshDocument]: (ctx, uri) => { refreshDocument(ctx, uri); },
  [Commands.findGuest]: (ctx, vmid) => findGuest(ctx, vmid),
  [Commands.jumpToGuest]: (ctx) => jumpToGuest(ctx),
  [Commands.showGuestConfig]: showGuestConfig,
  [Commands.showGuestStatus]: showGuestStatus,
  [Commands.showNodeStatus]: (ctx, arg) => showNodeStatus(ctx, arg),
  [Commands.showClusterStatus]: (ctx, arg) => showClusterStatus(ctx, arg),
  [Commands.showClusterResources]: (ctx, arg) => showClusterResources(ctx, arg),
  [Commands.showStorageStatus]: (ctx, arg) => showStorageStatus(ctx, arg),
  [Commands.refreshTasks]: (ctx) => { ctx.tasks.refreshAll(); },
  [Commands.addClusterWithPassword]: (ctx) => addClusterWithPassword(ctx),
  [Commands.signIn]: (ctx, arg) => signIn(ctx, arg),
  [Commands.signOut]: (ctx, arg) => signOut(ctx, arg),
  [Commands.openNodeShell]: (ctx, arg) => openNodeShell(ctx, arg),
  [Commands.openGuestShell]: openGuestShell,
  [Commands.openNodeConsoleInBrowser]: (ctx, arg) => openNodeConsoleInBrowser(ctx, arg),
  [Commands.openGuestConsoleInBrowser]: openGuestConsoleInBrowser,
  [Commands.openNodeInWebUi]: (ctx, arg) => openNodeInWebUi(ctx, arg),
  [Commands.openGuestInWebUi]: openGuestInWebUi,
  [Commands.connectSsh]: connectSsh,
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(HANDLERS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(ctx, id, () => Promise.resolve(handler(ctx, ...args)))),
  );
}
