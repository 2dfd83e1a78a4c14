import { isValidTokenId } from '../api/auth';

/**
 * Connection settings as stored in user settings (never the secret, which lives only in
 * SecretStorage). Pure so it can be unit-tested and shared by the env import.
 */
export interface ClusterConfig {
  readonly id: string;
  readonly name: string;
  /** `https://host:port` origin (`pvesh:` for the local CLI). */
  readonly url: string;
  /** How requests travel: HTTPS to pveproxy (default) or the local `pvesh` CLI on a PVE node. */
  readonly transport?: 'https' | 'pvesh';
  readonly tokenId?: string;
  /** For password (ticket) sign-in: `user@realm`. */
  readonly username?: string;
  /** Pinned SHA-256 leaf fingerprint, PVE format. */
  readonly fingerprint?: string;
  /** PEM file of the cluster CA (`/etc/pve/pve-root-ca.pem`). */
  readonly caFile?: string;
}

export type UrlProblem = 'empty' | 'notHttps' | 'invalid' | 'hasPath' | 'hasCredentials';

/** Accepts `pve1`, `10.0.0.5`, `pve1:8007`, `https://pve1:8006/`; PVE listens on 8006 with TLS only. */
export function normalizeClusterUrl(input: string): { ok: true; url: string } | { ok: false; problem: UrlProblem } {
  const text = input.trim();
  if (text === '') return { ok: false, problem: 'empty' };
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return { ok: false, problem: 'invalid' };
  }
  if (url.protocol !== 'https:') return { ok: false, problem: 'notHttps' };
  if (url.username || url.password) return { ok: false, problem: 'hasCredentials' };
  if ((url.pathname !== '/' && url.pathname !== '' && !/^\/(api2\/json\/?)?$/.test(url.pathname)) || url.search || url.hash) {
    return { ok: false, problem: 'hasPath' };
  }
  if (!url.hostname) return { ok: false, problem: 'invalid' };
  const port = url.port || (/:443(\/|$)/.test(withScheme.replace(/^https:\/\//i, '')) ? '443' : '8006');
  return { ok: true, url: `https://${url.hostname}:${port}` };
}

/** A short id for secret keys and tree ids: stable for the life of the entry. */
export function makeClusterId(name: string, existing: ReadonlySet<string>): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 32) || 'cluster';
  let id = base;
  for (let n = 2; existing.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** The environment variables admins already use with PVE scripts (seed skill, proxmoxer). */
export interface EnvImport {
  readonly url: string;
  readonly tokenId: string;
  readonly secret: string;
  readonly name: string;
}

export type EnvImportProblem = 'missingHost' | 'missingUser' | 'missingTokenId' | 'missingSecret' | 'badUrl' | 'badTokenId';

export function readEnvImport(env: Readonly<Record<string, string | undefined>>): { ok: true; value: EnvImport } | { ok: false; problem: EnvImportProblem } | undefined {
  const host = env.PVE_HOST?.trim();
  const secret = env.PVE_TOKEN_SECRET?.trim();
  const tokenIdRaw = env.PVE_TOKEN_ID?.trim();
  if (!host && !secret && !tokenIdRaw) return undefined; // nothing to offer
  if (!host) return { ok: false, problem: 'missingHost' };
  if (!tokenIdRaw) return { ok: false, problem: 'missingTokenId' };
  if (!secret) return { ok: false, problem: 'missingSecret' };
  const url = normalizeClusterUrl(host);
  if (!url.ok) return { ok: false, problem: 'badUrl' };
  let tokenId = tokenIdRaw;
  if (!tokenId.includes('!')) {
    let user = env.PVE_USER?.trim();
    if (!user) return { ok: false, problem: 'missingUser' };
    if (!user.includes('@')) user = `${user}@${env.PVE_REALM?.trim() || 'pam'}`;
    tokenId = `${user}!${tokenId}`;
  }
  if (!isValidTokenId(tokenId)) return { ok: false, problem: 'badTokenId' };
  return { ok: true, value: { url: url.url, tokenId, secret, name: new URL(url.url).hostname } };
}
