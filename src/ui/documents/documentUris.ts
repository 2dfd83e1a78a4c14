import * as vscode from 'vscode';

/**
 * Read-only documents live under the `proxmox:` scheme, one URI per cluster and API path, so the
 * same query opens the same editor (refreshable, diffable):
 *   proxmox:/<clusterId>/api/<api path>.json     a GET of that path
 *   proxmox:/<clusterId>/task/<UPID>.log         a task log that follows a running task
 */
export const SCHEME = 'proxmox';

export type DocumentTarget =
  | { readonly kind: 'api'; readonly clusterId: string; readonly apiPath: string; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'task'; readonly clusterId: string; readonly upid: string };

export function apiDocumentUri(clusterId: string, apiPath: string, params: Readonly<Record<string, string>> = {}): vscode.Uri {
  const path = apiPath === '/' ? '/index' : apiPath;
  const query = new URLSearchParams(Object.entries(params).sort(([a], [b]) => a.localeCompare(b))).toString();
  return vscode.Uri.from({ scheme: SCHEME, path: `/${clusterId}/api${path}.json`, query });
}

export function taskDocumentUri(clusterId: string, upid: string): vscode.Uri {
  return vscode.Uri.from({ scheme: SCHEME, path: `/${clusterId}/task/${upid}.log` });
}

export function parseDocumentUri(uri: vscode.Uri): DocumentTarget | undefined {
  if (uri.scheme !== SCHEME) return undefined;
  const match = /^\/([a-z0-9][a-z0-9-]*)\/(api|task)(\/.*)$/.exec(uri.path);
  if (!match?.[1] || !match[2] || !match[3]) return undefined;
  const [, clusterId, kind, rest] = match;
  if (kind === 'task') {
    if (!rest.endsWith('.log')) return undefined;
    return { kind: 'task', clusterId, upid: rest.slice(1, -'.log'.length) };
  }
  if (!rest.endsWith('.json')) return undefined;
  const apiPath = rest.slice(0, -'.json'.length);
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(uri.query)) {
    // Parameter names are PVE schema names; anything else is not ours to send.
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(key) || value.length > 512) return undefined;
    params[key] = value;
  }
  return { kind: 'api', clusterId, apiPath: apiPath === '/index' ? '/' : apiPath, params };
}
