import * as vscode from 'vscode';
import { TokenAuthenticator } from '../../api/auth';
import { summarizeAccess } from '../../model/permissionCheck';
import type { ClusterConfig } from '../../model/connectionConfig';
import type { PveClient } from '../../api/client';
import { trustFor } from '../../clusters/trustConfig';

export interface ConnectionReport {
  readonly version: string;
  readonly clusterName: string | undefined;
  readonly nodes: number;
  readonly access: ReturnType<typeof summarizeAccess>;
}

/** Checks a connection with a throw-away client: version, cluster name, what the token may do. */
export async function testConnection(config: ClusterConfig, secret: string, signal?: AbortSignal): Promise<ConnectionReport> {
  // Loaded on demand: zod and undici stay off the activation path.
  const [{ HttpTransport }, { PveClient }] = await Promise.all([import('../../api/httpTransport'), import('../../api/client')]);
  const transport = new HttpTransport({ baseUrl: config.url, trust: await trustFor(config), auth: new TokenAuthenticator(config.tokenId ?? '', secret) });
  try {
    return await describeServer(new PveClient(transport), signal);
  } finally {
    await transport.close();
  }
}

/** The same report over a client that already exists (a signed-in user's session). */
export async function describeServer(client: PveClient, signal?: AbortSignal): Promise<ConnectionReport> {
  const version = await client.version(signal);
  const [status, permissions] = await Promise.all([client.clusterStatus(signal).catch(() => []), client.permissions(signal)]);
  const cluster = status.find((item) => item.type === 'cluster');
  const nodes = status.filter((item) => item.type === 'node').length;
  return { version: version.version, clusterName: cluster?.name, nodes, access: summarizeAccess(permissions) };
}

export function describeAccess(access: ConnectionReport['access']): string {
  if (access.power && access.snapshots) return vscode.l10n.t('browse, power actions and snapshots');
  if (access.power) return vscode.l10n.t('browse and power actions (no snapshots)');
  if (access.snapshots) return vscode.l10n.t('browse and snapshots (no power actions)');
  if (access.audit) return vscode.l10n.t('browse only (read-only)');
  return vscode.l10n.t('nothing visible: the token has no VM.Audit privilege');
}
