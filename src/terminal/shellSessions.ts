import type * as vscode from 'vscode';
import type { TermproxyPty } from './termproxyPty';

/** One open shell: its terminal and its pty. */
export interface ShellSession {
  readonly clusterId: string;
  readonly name: string;
  readonly terminal: vscode.Terminal;
  readonly pty: TermproxyPty;
}

/**
 * The terminals this extension opened, so they are closed with the extension and so the
 * integration tests (through the test API only) can read what a shell printed.
 */
export class ShellSessions implements vscode.Disposable {
  private readonly open = new Set<ShellSession>();

  add(session: ShellSession): void {
    this.open.add(session);
  }

  remove(session: ShellSession): void {
    this.open.delete(session);
  }

  list(): readonly ShellSession[] {
    return [...this.open];
  }

  dispose(): void {
    for (const session of this.open) session.terminal.dispose();
    this.open.clear();
  }
}
