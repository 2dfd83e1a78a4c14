import * as vscode from 'vscode';
import type { TermEnd, TermproxyConnection } from '../api/termproxy';

/** Kept for the test API and for "what did the shell print": bounded, never persisted. */
const TRANSCRIPT_LIMIT = 256 * 1024;

/**
 * A termproxy session as a VS Code terminal (CONSOLE.md §2, "Pseudoterminal mapping"): `open`
 * sends the real size, typing becomes `0:` messages, resizing `1:` messages. When the server ends
 * the session (the shell exited) the output stays on screen until a key is pressed; closing the
 * terminal closes the websocket, which ends termproxy and hangs up the shell.
 */
export class TermproxyPty implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<undefined>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  private opened = false;
  private buffered = '';
  private transcriptText = '';
  private endedValue: TermEnd | undefined;
  private closed = false;
  dimensions: { columns: number; rows: number } | undefined;

  constructor(
    private readonly connection: TermproxyConnection,
    readonly title: string,
    private readonly endedText: (end: TermEnd) => string,
    private readonly onDispose: () => void,
  ) {
    connection.onOutput((text) => {
      this.show(text);
    });
    connection.onEnd((end) => {
      this.endedValue = end;
      // A session closed from here has no one left to read a message.
      if (end.kind === 'local') {
        this.finish();
        return;
      }
      this.show(`\r\n\x1b[2m${this.endedText(end)}\x1b[0m\r\n`);
    });
  }

  get transcript(): string {
    return this.transcriptText;
  }

  get ended(): TermEnd | undefined {
    return this.endedValue;
  }

  open(initialDimensions: vscode.TerminalDimensions | undefined): void {
    this.opened = true;
    // The pty starts at 80x20 on the server: the real size goes first.
    if (initialDimensions) this.setDimensions(initialDimensions);
    if (this.buffered !== '') {
      this.writeEmitter.fire(this.buffered);
      this.buffered = '';
    }
  }

  close(): void {
    this.connection.close();
    this.finish();
  }

  handleInput(data: string): void {
    if (this.endedValue) {
      this.closeEmitter.fire(undefined);
      this.finish();
      return;
    }
    this.connection.write(data);
  }

  setDimensions(dimensions: vscode.TerminalDimensions): void {
    this.dimensions = { columns: dimensions.columns, rows: dimensions.rows };
    this.connection.resize(dimensions.columns, dimensions.rows);
  }

  private show(text: string): void {
    this.transcriptText = (this.transcriptText + text).slice(-TRANSCRIPT_LIMIT);
    if (this.opened) this.writeEmitter.fire(text);
    else this.buffered += text;
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onDispose();
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
