import * as vscode from 'vscode';

/**
 * Tooltips hold server-provided text (names, tags, descriptions), which is untrusted: it is
 * escaped so that it renders as the same characters and never as markdown, a link, a command or
 * HTML, and the MarkdownString is untrusted with HTML off (SECURITY.md #24).
 */
export function untrustedTooltip(title: string, rows: readonly (readonly [string, string | undefined])[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  md.appendMarkdown(`**${escapeMarkdownText(title)}**\n\n`);
  for (const [label, value] of rows) {
    if (value === undefined || value === '') continue;
    md.appendMarkdown(`${escapeMarkdownText(`${label}: ${value}`)}  \n`);
  }
  return md;
}

/**
 * Markdown punctuation gets a backslash; `<`, `>` and `&` become entities, which the renderer
 * shows as the characters themselves (appendText leaves `<` as is, so an `<img …>` would reach
 * the HTML sanitizer instead of being plain text).
 */
export function escapeMarkdownText(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+\-.!|~]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r?\n/g, '  \n');
}
