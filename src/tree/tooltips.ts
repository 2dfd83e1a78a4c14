import * as vscode from 'vscode';

/**
 * Tooltips hold server-provided text (names, tags, descriptions), which is untrusted: it is
 * appended as text, never as markdown or HTML, and no command links are enabled (SECURITY.md #24).
 */
export function untrustedTooltip(title: string, rows: readonly (readonly [string, string | undefined])[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.supportThemeIcons = false;
  md.appendMarkdown('**');
  md.appendText(title);
  md.appendMarkdown('**\n\n');
  for (const [label, value] of rows) {
    if (value === undefined || value === '') continue;
    md.appendText(`${label}: ${value}`);
    md.appendMarkdown('  \n');
  }
  return md;
}
