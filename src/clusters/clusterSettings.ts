import * as vscode from 'vscode';
import { parseFingerprint } from '../api/fingerprint';
import type { ClusterConfig } from '../model/connectionConfig';
import { normalizeClusterUrl } from '../model/connectionConfig';

const SECTION = 'proxmox';
export const PVESH_URL = 'pvesh:';
const KEY = 'clusters';

/**
 * The configured clusters, read from USER settings only. URL and trust settings weaken or move
 * trust, so a workspace (possibly untrusted, possibly cloned from anywhere) never supplies them
 * (SECURITY.md scenario 7). The manifest also declares the setting `application`-scoped.
 */
export function readClusterConfigs(): { clusters: ClusterConfig[]; problems: string[] } {
  const inspected = vscode.workspace.getConfiguration(SECTION).inspect<unknown>(KEY);
  const raw = inspected?.globalValue;
  const problems: string[] = [];
  const clusters: ClusterConfig[] = [];
  if (raw === undefined) return { clusters, problems };
  if (!Array.isArray(raw)) return { clusters, problems: ['proxmox.clusters is not a list'] };
  const seen = new Set<string>();
  raw.forEach((entry: unknown, index) => {
    const parsed = parseEntry(entry);
    if (typeof parsed === 'string') {
      problems.push(`proxmox.clusters[${index}]: ${parsed}`);
      return;
    }
    if (seen.has(parsed.id)) {
      problems.push(`proxmox.clusters[${index}]: duplicate id "${parsed.id}"`);
      return;
    }
    seen.add(parsed.id);
    clusters.push(parsed);
  });
  return { clusters, problems };
}

function parseEntry(entry: unknown): ClusterConfig | string {
  if (typeof entry !== 'object' || entry === null) return 'not an object';
  const e = entry as Record<string, unknown>;
  const str = (key: string): string | undefined => {
    const value = e[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const id = str('id');
  const urlText = str('url');
  if (!id || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) return 'missing or invalid "id"';
  if (str('transport') === 'pvesh') return { id, name: str('name') ?? id, url: PVESH_URL, transport: 'pvesh' };
  if (!urlText) return 'missing "url"';
  const url = normalizeClusterUrl(urlText);
  if (!url.ok) return `invalid "url" (${url.problem})`;
  let fingerprint: string | undefined;
  const fingerprintText = str('fingerprint');
  if (fingerprintText) {
    const parsed = parseFingerprint(fingerprintText);
    // A malformed or SHA-1 pin is refused, not ignored: ignoring would fall back to weaker trust.
    if (!parsed.ok) return `invalid "fingerprint" (${parsed.problem === 'sha1' ? 'SHA-1 is not accepted; use the SHA-256 fingerprint' : parsed.problem})`;
    fingerprint = parsed.fingerprint;
  }
  const tokenId = str('tokenId');
  const username = str('username');
  return {
    id,
    name: str('name') ?? id,
    url: url.url,
    ...(tokenId ? { tokenId } : {}),
    ...(username ? { username } : {}),
    ...(fingerprint ? { fingerprint } : {}),
    ...(str('caFile') ? { caFile: str('caFile') } : {}),
  };
}

/** Writes the list back to user settings, keeping entries we could not parse untouched. */
export async function writeClusterConfigs(update: (current: Record<string, unknown>[]) => Record<string, unknown>[]): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const current = config.inspect<unknown>(KEY)?.globalValue;
  const list = Array.isArray(current) ? (current as unknown[]).filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null) : [];
  await config.update(KEY, update(list.map((e) => ({ ...e }))), vscode.ConfigurationTarget.Global);
}

export function toSettingsEntry(config: ClusterConfig): Record<string, unknown> {
  return { ...config };
}
