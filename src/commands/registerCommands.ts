import * as vscode from 'vscode';
import { Commands, type CommandId } from '../constants';
import type { CommandContext } from './commandContext';
import { runCommand } from './runCommand';


type Handler = (ctx: CommandContext, ...args: unknown[]) => unknown;

/**
 * A handler whose module is loaded on first use: esbuild keeps a dynamically imported module
 * uninitialised until then, so activation evaluates the table, not the 50 commands behind it.
 */
function lazy<M>(load: () => Promise<M>, name: keyof M): Handler {
  return async (ctx, ...args) => {
    const handler = (await load())[name] as unknown as Handler;
    return handler(ctx, ...args);
  };
}

/** The id → handler table; every handler runs inside the one error boundary. */
const HANDLERS: Readonly<Record<CommandId, Handler>> = {
  [Commands.addCluster]: lazy(() => import('./cluster/addCluster'), 'addCluster'),
  [Commands.importFromEnv]: lazy(() => import('./cluster/importFromEnv'), 'importFromEnv'),
  [Commands.addLocalNode]: lazy(() => import('./cluster/addLocalNode'), 'addLocalNode'),
  [Commands.editCluster]: lazy(() => import('./cluster/editCluster'), 'editCluster'),
  [Commands.renameCluster]: lazy(() => import('./cluster/editCluster'), 'renameCluster'),
  [Commands.removeCluster]: lazy(() => import('./cluster/removeCluster'), 'removeCluster'),
  [Commands.updateToken]: lazy(() => import('./cluster/updateToken'), 'updateToken'),
  [Commands.trustCertificate]: lazy(() => import('./cluster/trustCertificate'), 'trustCertificate'),
  [Commands.testConnection]: lazy(() => import('./cluster/testConnectionCommand'), 'testConnectionCommand'),
  [Commands.refreshCluster]: lazy(() => import('./view/refresh'), 'refreshCluster'),
  [Commands.refreshClusters]: lazy(() => import('./view/refresh'), 'refreshAll'),
  [Commands.filter]: lazy(() => import('./view/filter'), 'filterGuests'),
  [Commands.clearFilter]: async (ctx) => {
    const [{ applyFilter }, { EMPTY_FILTER }] = await Promise.all([import('./view/filter'), import('../model/guestFilter')]);
    applyFilter(ctx, EMPTY_FILTER);
  },
  [Commands.groupBy]: lazy(() => import('./view/groupBy'), 'groupBy'),
  [Commands.showLog]: (ctx) => { ctx.log.show(); },
  [Commands.startGuest]: lazy(() => import('./guest/startGuest'), 'startGuest'),
  [Commands.shutdownGuest]: lazy(() => import('./guest/shutdownGuest'), 'shutdownGuest'),
  [Commands.rebootGuest]: lazy(() => import('./guest/rebootGuest'), 'rebootGuest'),
  [Commands.stopGuest]: lazy(() => import('./guest/stopGuest'), 'stopGuest'),
  [Commands.resetGuest]: lazy(() => import('./guest/resetGuest'), 'resetGuest'),
  [Commands.suspendGuest]: lazy(() => import('./guest/suspendGuest'), 'suspendGuest'),
  [Commands.hibernateGuest]: lazy(() => import('./guest/hibernateGuest'), 'hibernateGuest'),
  [Commands.resumeGuest]: lazy(() => import('./guest/resumeGuest'), 'resumeGuest'),
  [Commands.createSnapshot]: lazy(() => import('./snapshot/createSnapshot'), 'createSnapshot'),
  [Commands.deleteSnapshot]: lazy(() => import('./snapshot/deleteSnapshot'), 'deleteSnapshot'),
  [Commands.rollbackSnapshot]: lazy(() => import('./snapshot/rollbackSnapshot'), 'rollbackSnapshot'),
  [Commands.editSnapshotDescription]: lazy(() => import('./snapshot/editSnapshotDescription'), 'editSnapshotDescription'),
  [Commands.showSnapshotConfig]: lazy(() => import('./snapshot/showSnapshotConfig'), 'showSnapshotConfig'),
  [Commands.diffSnapshot]: lazy(() => import('./snapshot/showSnapshotConfig'), 'diffSnapshot'),
  [Commands.showTaskLog]: lazy(() => import('./task/showTaskLog'), 'showTaskLog'),
  [Commands.stopTask]: lazy(() => import('./task/stopTask'), 'stopTask'),
  [Commands.getApiPath]: lazy(() => import('./query/getApiPath'), 'getApiPath'),
  [Commands.copyAsPvesh]: lazy(() => import('./query/copyAsCommand'), 'copyAsPvesh'),
  [Commands.copyAsCurl]: lazy(() => import('./query/copyAsCommand'), 'copyAsCurl'),
  [Commands.refreshDocument]: lazy(() => import('./query/copyAsCommand'), 'refreshDocument'),
  [Commands.findGuest]: lazy(() => import('./query/findGuest'), 'findGuest'),
  [Commands.jumpToGuest]: lazy(() => import('./query/findGuest'), 'jumpToGuest'),
  [Commands.showGuestConfig]: lazy(() => import('./query/showDocuments'), 'showGuestConfig'),
  [Commands.showGuestStatus]: lazy(() => import('./query/showDocuments'), 'showGuestStatus'),
  [Commands.showNodeStatus]: lazy(() => import('./query/showDocuments'), 'showNodeStatus'),
  [Commands.showClusterStatus]: lazy(() => import('./query/showDocuments'), 'showClusterStatus'),
  [Commands.showClusterResources]: lazy(() => import('./query/showDocuments'), 'showClusterResources'),
  [Commands.showStorageStatus]: lazy(() => import('./query/showDocuments'), 'showStorageStatus'),
  [Commands.refreshTasks]: (ctx) => { ctx.tasks.refreshAll(); },
  [Commands.addClusterWithPassword]: lazy(() => import('./session/addClusterWithPassword'), 'addClusterWithPassword'),
  [Commands.signIn]: lazy(() => import('./session/signIn'), 'signIn'),
  [Commands.signOut]: lazy(() => import('./session/signOut'), 'signOut'),
  [Commands.openNodeShell]: lazy(() => import('./shell/openNodeShell'), 'openNodeShell'),
  [Commands.openGuestShell]: lazy(() => import('./shell/openGuestShell'), 'openGuestShell'),
  [Commands.openNodeConsoleInBrowser]: lazy(() => import('./console/openConsoleInBrowser'), 'openNodeConsoleInBrowser'),
  [Commands.openGuestConsoleInBrowser]: lazy(() => import('./console/openConsoleInBrowser'), 'openGuestConsoleInBrowser'),
  [Commands.openNodeInWebUi]: lazy(() => import('./console/openInWebUi'), 'openNodeInWebUi'),
  [Commands.openGuestInWebUi]: lazy(() => import('./console/openInWebUi'), 'openGuestInWebUi'),
  [Commands.connectSsh]: lazy(() => import('./ssh/connectSsh'), 'connectSsh'),
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(HANDLERS).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) => runCommand(ctx, id, () => Promise.resolve(handler(ctx, ...args)))),
  );
}
