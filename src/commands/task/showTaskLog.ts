import * as vscode from 'vscode';
import { tryParseUpid } from '../../api/upid';
import { taskDocumentUri } from '../../ui/documents/documentUris';
import type { CommandContext } from '../commandContext';
import { resolveTaskArgs } from './taskArgs';

/** Opens a task's log as a read-only document that follows a running task to its end. */
export async function showTaskLog(ctx: CommandContext, ...args: unknown[]): Promise<vscode.Uri | undefined> {
  const task = resolveTaskArgs(ctx, args);
  if (!task || !tryParseUpid(task.upid)) return undefined;
  const uri = taskDocumentUri(task.clusterId, task.upid);
  ctx.documents.refresh(uri);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { preview: true });
  return uri;
}
