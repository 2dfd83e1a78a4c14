import * as vscode from 'vscode';
import { isValidTokenId } from '../../api/auth';
import { normalizeClusterUrl, type UrlProblem } from '../../model/connectionConfig';
import type { Prompter } from '../../ui/prompter';

/** The input boxes of "Add Cluster" and "Edit", each validating as the user types. */
export function urlProblemText(problem: UrlProblem): string {
  switch (problem) {
    case 'empty':
      return vscode.l10n.t('Enter the host name or address of a cluster node.');
    case 'notHttps':
      return vscode.l10n.t('Proxmox VE is only served over https (port 8006).');
    case 'invalid':
      return vscode.l10n.t('This is not a valid host or URL.');
    case 'hasPath':
      return vscode.l10n.t('Enter only the host (and port), without a path or query.');
    case 'hasCredentials':
      return vscode.l10n.t('Do not put credentials in the URL; the token is asked for next.');
  }
}

export async function askUrl(prompter: Prompter, value?: string): Promise<string | undefined> {
  const input = await prompter.input({
    title: vscode.l10n.t('Proxmox VE: cluster address'),
    prompt: vscode.l10n.t('Host name or address of any cluster node; port 8006 is assumed.'),
    placeHolder: 'pve1.example.com or https://192.168.1.10:8006',
    ...(value ? { value } : {}),
    validate: (text) => {
      const result = normalizeClusterUrl(text);
      return result.ok ? undefined : urlProblemText(result.problem);
    },
  });
  if (input === undefined) return undefined;
  const result = normalizeClusterUrl(input);
  return result.ok ? result.url : undefined;
}

export async function askTokenId(prompter: Prompter, value?: string): Promise<string | undefined> {
  const input = await prompter.input({
    title: vscode.l10n.t('Proxmox VE: API token id'),
    prompt: vscode.l10n.t('The full token id: user@realm!tokenname (Datacenter → Permissions → API Tokens).'),
    placeHolder: 'root@pam!vscode',
    ...(value ? { value } : {}),
    validate: (text) => (isValidTokenId(text.trim()) ? undefined : vscode.l10n.t('Expected user@realm!tokenname, e.g. automation@pve!vscode.')),
  });
  return input?.trim();
}

export async function askSecret(prompter: Prompter, tokenId: string): Promise<string | undefined> {
  const input = await prompter.input({
    title: vscode.l10n.t('Proxmox VE: API token secret'),
    prompt: vscode.l10n.t('The secret of {0}. It is stored only in VS Code\'s secret storage.', tokenId),
    placeHolder: 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
    password: true,
    validate: (text) => {
      const trimmed = text.trim();
      if (trimmed === '') return vscode.l10n.t('The secret cannot be empty.');
      // eslint-disable-next-line no-control-regex -- a secret goes into a header: no control characters
      if (/[\s\x00-\x1f\x7f]/.test(trimmed)) return vscode.l10n.t('The secret cannot contain spaces or line breaks.');
      return undefined;
    },
  });
  return input?.trim();
}

export async function askName(prompter: Prompter, value: string): Promise<string | undefined> {
  const input = await prompter.input({
    title: vscode.l10n.t('Proxmox VE: display name'),
    prompt: vscode.l10n.t('How this cluster is called in the tree.'),
    value,
    validate: (text) => (text.trim() === '' ? vscode.l10n.t('The name cannot be empty.') : text.length > 64 ? vscode.l10n.t('At most 64 characters.') : undefined),
  });
  return input?.trim();
}
