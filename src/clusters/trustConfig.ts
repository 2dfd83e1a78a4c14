import { readFile } from 'node:fs/promises';
import { PveError } from '../api/errors';
import type { TrustConfig } from '../api/trust';
import type { ClusterConfig } from '../model/connectionConfig';

const MAX_PEM_BYTES = 256 * 1024;

/** A pinned fingerprint wins over a CA file, which wins over the system store. */
export async function trustFor(config: ClusterConfig): Promise<TrustConfig> {
  if (config.fingerprint) return { mode: 'fingerprint', fingerprint: config.fingerprint };
  if (config.caFile) {
    let pem: string;
    try {
      const buffer = await readFile(config.caFile);
      if (buffer.length > MAX_PEM_BYTES) throw new Error('too large');
      pem = buffer.toString('utf8');
    } catch (error) {
      throw new PveError('tls', `The CA file "${config.caFile}" cannot be read.`, { tls: { kind: 'untrusted' }, cause: error });
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new PveError('tls', `The CA file "${config.caFile}" holds no PEM certificate.`, { tls: { kind: 'untrusted' } });
    }
    return { mode: 'ca', caPem: pem };
  }
  return { mode: 'system' };
}
