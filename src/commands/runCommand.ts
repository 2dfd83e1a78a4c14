import * as vscode from 'vscode';
import { PveError } from '../api/errors';
import { SignInRequiredError } from '../api/consoleErrors';
import { Commands } from '../constants';
import { errorText } from '../ui/errorText';
import type { CommandContext } from './commandContext';

/**
 * The one error boundary of every command: typed errors become a localised message with the
 * next step as a button; nothing reaches VS Code's generic "command failed" toast.
 */
export async function runCommand(ctx: CommandContext, name: string, handler: () => Promise<unknown>): Promise<unknown> {
  try {
    return await handler();
  } catch (error) {
    if (PveError.is(error, 'cancelled')) return undefined;
    ctx.log.error(`${name} failed`, error);
    const text = ctx.redactor.redact(errorText(error));
    const actions: string[] = [];
    const updateToken = vscode.l10n.t('Update Token');
    const signInAgain = vscode.l10n.t('Sign In Again');
    const showLog = vscode.l10n.t('Show Log');
    // A password cluster's 401 is a lapsed sign-in, not a wrong token.
    if (SignInRequiredError.isSignIn(error)) actions.push(signInAgain);
    else if (PveError.is(error, 'unauthorized')) actions.push(updateToken);
    actions.push(showLog);
    void ctx.prompter.notify('error', text, ...actions).then((choice) => {
      if (choice === showLog) ctx.log.show();
      if (choice === updateToken) void vscode.commands.executeCommand(Commands.updateToken);
      if (choice === signInAgain) void vscode.commands.executeCommand(Commands.signIn);
    });
    return undefined;
  }
}
