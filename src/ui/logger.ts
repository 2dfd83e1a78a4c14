import * as vscode from 'vscode';
import type { Redactor } from '../api/redact';

/** The log channel, with every line passed through the redactor first. */
export class Logger implements vscode.Disposable {
  constructor(
    private readonly channel: vscode.LogOutputChannel,
    private readonly redactor: Redactor,
  ) {}

  info(message: string): void {
    this.channel.info(this.redactor.redact(message));
  }

  warn(message: string): void {
    this.channel.warn(this.redactor.redact(message));
  }

  error(message: string, error?: unknown): void {
    const detail = error === undefined ? '' : ` ${describeError(error)}`;
    this.channel.error(this.redactor.redact(message + detail));
  }

  debug(message: string): void {
    this.channel.debug(this.redactor.redact(message));
  }

  trace(message: string): void {
    this.channel.trace(this.redactor.redact(message));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const reason = (error as { reason?: unknown }).reason;
    return typeof reason === 'string' ? `[${reason}] ${error.message}` : error.message;
  }
  return String(error);
}
