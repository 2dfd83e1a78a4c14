import * as vscode from 'vscode';
import type { Redactor } from '../api/redact';
import type { ClusterSession } from '../clusters/clusterSession';
import type { GuestEntry } from '../model/clusterIndex';
import { isHaManaged } from '../model/guestState';
import { powerLabel, typeLongLabel } from '../tree/labels';
import { targetName } from '../ui/actionText';

/** Tool answers are for a model's context window: long lists and JSON are cut with a note. */
export const MAX_OUTPUT_CHARS = 24_000;

/** "homelab" or "homelab (id: sim)": the id is what the tools accept, the name what people say. */
export function clusterLabel(session: ClusterSession): string {
  const { id, name } = session.config;
  return name === id ? `"${name}"` : vscode.l10n.t('"{0}" (id: {1})', name, id);
}

/** "VM 100 web01 on pve1 (cluster "sim"): running, locked (backup), HA started": every fact an answer needs. */
export function guestLine(session: ClusterSession, entry: GuestEntry): string {
  const facts = [powerLabel(entry.power)];
  if (entry.resource.template) facts.push(vscode.l10n.t('template'));
  if (entry.resource.lock) facts.push(vscode.l10n.t('locked ({0})', entry.resource.lock));
  if (isHaManaged(entry.resource)) facts.push(vscode.l10n.t('HA {0}', entry.resource.hastate ?? ''));
  if (entry.tags.length > 0) facts.push(vscode.l10n.t('tags {0}', entry.tags.join(', ')));
  if (entry.resource.pool) facts.push(vscode.l10n.t('pool {0}', entry.resource.pool));
  return `${targetName(entry)} (${vscode.l10n.t('cluster {0}', clusterLabel(session))}, ${typeLongLabel(entry.type)}): ${facts.join(', ')}`;
}

export function bulletList(lines: readonly string[]): string[] {
  return lines.map((line) => `- ${line}`);
}

/** Joins the answer and keeps it within what a model should be handed in one tool result. */
export function joinOutput(lines: readonly string[], limit = MAX_OUTPUT_CHARS): string {
  const text = lines.join('\n');
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n${vscode.l10n.t('[… cut after {0} characters; narrow the request to see the rest]', limit)}`;
}

/**
 * A confirmation body built only with `appendText`: names, cluster names and snapshot names are
 * untrusted text, so a `[x](command:…)` in them is shown, never followed (SECURITY.md, Input).
 */
export function safeMarkdown(paragraphs: readonly string[]): vscode.MarkdownString {
  const markdown = new vscode.MarkdownString('', false);
  markdown.isTrusted = false;
  markdown.supportHtml = false;
  paragraphs.forEach((paragraph, index) => {
    if (index > 0) markdown.appendMarkdown('\n\n');
    markdown.appendText(paragraph);
  });
  return markdown;
}

/** A JSON-quoted value, so multi-line server text stays on one line and cannot pose as our own output. */
export function quoted(value: string): string {
  return JSON.stringify(value);
}

/**
 * Redacts every string in server data before it is JSON-escaped: escaping turns a CR/LF inside a
 * value into `\r\n`, which the final pass over the answer would no longer recognise inside a secret.
 */
export function redactDeep(redactor: Redactor, value: unknown): unknown {
  if (typeof value === 'string') return redactor.redact(value);
  if (Array.isArray(value)) return value.map((item) => redactDeep(redactor, item));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [redactor.redact(k), redactDeep(redactor, v)]));
  }
  return value;
}
