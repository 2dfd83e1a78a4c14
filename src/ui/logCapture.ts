import type * as vscode from 'vscode';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'append', 'appendLine']);
const LIMIT = 20_000;

/**
 * In ExtensionMode.Test only: a log channel that also keeps every line it is given, at every
 * level (the channel itself drops lines below its level), so tests can check that no password,
 * ticket or token ever reached the log.
 */
export function captureLog(channel: vscode.LogOutputChannel): { channel: vscode.LogOutputChannel; lines: () => readonly string[] } {
  const lines: string[] = [];
  const proxy = new Proxy(channel, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      const fn = value as (...args: unknown[]) => unknown;
      if (!LEVELS.has(property)) return fn.bind(target);
      return (...args: unknown[]) => {
        lines.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
        if (lines.length > LIMIT) lines.splice(0, lines.length - LIMIT);
        return fn.apply(target, args);
      };
    },
  });
  return { channel: proxy, lines: () => lines };
}
