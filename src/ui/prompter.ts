import * as vscode from 'vscode';

/**
 * Every question the extension asks the user goes through here, so the integration tests can
 * answer them (in ExtensionMode.Test only) while the product always shows real VS Code UI.
 */
export interface ConfirmRequest {
  readonly message: string;
  readonly detail: string;
  /** Button labels; the first is the primary action. Dismissing returns undefined. */
  readonly buttons: readonly string[];
  readonly modal: boolean;
  readonly severity?: 'warning' | 'info';
}

export interface InputRequest {
  readonly title: string;
  readonly prompt: string;
  readonly value?: string;
  readonly placeHolder?: string;
  readonly password?: boolean;
  readonly validate?: (value: string) => string | undefined;
}

export interface PickItem<T> extends vscode.QuickPickItem {
  readonly value: T;
}

export interface PickRequest<T> {
  readonly title: string;
  readonly placeHolder: string;
  readonly items: readonly PickItem<T>[];
  readonly canPickMany?: boolean;
}

export type Severity = 'info' | 'warning' | 'error';

export interface Prompter {
  confirm(request: ConfirmRequest): Promise<string | undefined>;
  /** A non-modal notification; resolves to the chosen action, if any. */
  notify(severity: Severity, message: string, ...actions: string[]): Promise<string | undefined>;
  input(request: InputRequest): Promise<string | undefined>;
  pick<T>(request: PickRequest<T>): Promise<T | undefined>;
  pickMany<T>(request: PickRequest<T>): Promise<T[] | undefined>;
}

export class VsCodePrompter implements Prompter {
  async confirm(request: ConfirmRequest): Promise<string | undefined> {
    const show = request.severity === 'info' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
    return show(request.message, { modal: request.modal, detail: request.detail }, ...request.buttons);
  }

  async notify(severity: Severity, message: string, ...actions: string[]): Promise<string | undefined> {
    switch (severity) {
      case 'info':
        return vscode.window.showInformationMessage(message, ...actions);
      case 'warning':
        return vscode.window.showWarningMessage(message, ...actions);
      case 'error':
        return vscode.window.showErrorMessage(message, ...actions);
    }
  }

  async input(request: InputRequest): Promise<string | undefined> {
    return vscode.window.showInputBox({
      title: request.title,
      prompt: request.prompt,
      value: request.value,
      placeHolder: request.placeHolder,
      password: request.password ?? false,
      ignoreFocusOut: true,
      validateInput: request.validate,
    });
  }

  async pick<T>(request: PickRequest<T>): Promise<T | undefined> {
    const picked = await vscode.window.showQuickPick(request.items, { title: request.title, placeHolder: request.placeHolder, matchOnDescription: true, matchOnDetail: true });
    return picked?.value;
  }

  async pickMany<T>(request: PickRequest<T>): Promise<T[] | undefined> {
    const picked = await vscode.window.showQuickPick(request.items, { title: request.title, placeHolder: request.placeHolder, canPickMany: true });
    return picked?.map((p) => p.value);
  }
}
