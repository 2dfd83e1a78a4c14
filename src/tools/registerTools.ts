import * as vscode from 'vscode';
import type { CommandContext } from '../commands/commandContext';
import { GUEST_ACTIONS } from '../model/actionPolicy';
import { apiGetTool } from './apiGetTool';
import { clusterStatusTool, listClustersTool, nodeStatusTool } from './clusterTools';
import { ConfirmationStore } from './confirmations';
import { guestActionTool } from './guestActionTools';
import { findGuestTool, guestConfigTool, guestStatusTool, listGuestsTool, listSnapshotsTool } from './guestTools';
import type { JsonSchema } from './inputSchema';
import { snapshotTool } from './snapshotTools';
import { listTasksTool, taskLogTool } from './taskTools';
import type { ToolDeps } from './toolBase';
import { GuestActionTools, ReadTools, SnapshotTools } from './toolNames';

export type ToolMap = ReadonlyMap<string, vscode.LanguageModelTool<object>>;

/** The input schemas exactly as the manifest declares them: the one source for VS Code and for our own checks. */
export function readToolSchemas(packageJSON: unknown): Map<string, JsonSchema> {
  const schemas = new Map<string, JsonSchema>();
  const contributes = (packageJSON as { contributes?: { languageModelTools?: unknown } } | undefined)?.contributes;
  const tools = contributes?.languageModelTools;
  if (!Array.isArray(tools)) return schemas;
  for (const tool of tools as unknown[]) {
    const { name, inputSchema } = (tool ?? {}) as { name?: unknown; inputSchema?: unknown };
    if (typeof name === 'string' && typeof inputSchema === 'object' && inputSchema !== null) schemas.set(name, inputSchema);
  }
  return schemas;
}

/**
 * Registers the language model tools (issue 11). Read-only tools answer at once; action tools
 * ask for a confirmation naming the exact target and run the menus' own safe workflow. Returns
 * the implementations for the TestApi (ExtensionMode.Test only).
 */
export function registerTools(ctx: CommandContext): ToolMap {
  const deps: ToolDeps = { ctx, schemas: readToolSchemas(ctx.extension.extension.packageJSON), confirmations: new ConfirmationStore() };
  const tools = new Map<string, vscode.LanguageModelTool<object>>([
    [ReadTools.listClusters, listClustersTool(deps)],
    [ReadTools.listGuests, listGuestsTool(deps)],
    [ReadTools.findGuest, findGuestTool(deps)],
    [ReadTools.guestStatus, guestStatusTool(deps)],
    [ReadTools.guestConfig, guestConfigTool(deps)],
    [ReadTools.listSnapshots, listSnapshotsTool(deps)],
    [ReadTools.clusterStatus, clusterStatusTool(deps)],
    [ReadTools.nodeStatus, nodeStatusTool(deps)],
    [ReadTools.listTasks, listTasksTool(deps)],
    [ReadTools.taskLog, taskLogTool(deps)],
    [ReadTools.apiGet, apiGetTool(deps)],
    ...GUEST_ACTIONS.map((action) => [GuestActionTools[action], guestActionTool(deps, action)] as const),
    [SnapshotTools.create, snapshotTool(deps, 'create')],
    [SnapshotTools.delete, snapshotTool(deps, 'delete')],
    [SnapshotTools.rollback, snapshotTool(deps, 'rollback')],
  ]);
  for (const [name, tool] of tools) ctx.extension.subscriptions.push(vscode.lm.registerTool(name, tool));
  return tools;
}
