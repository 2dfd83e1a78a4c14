import { isIP } from 'node:net';
import * as tls from 'node:tls';
import { PveError, cancelledError } from './errors';
import { formatFingerprint } from './fingerprint';

/** What the server presented, read without sending any request or credential. */
export interface CertificateProbe {
  readonly fingerprint: string;
  readonly subject: string;
  readonly issuer: string;
  readonly subjectAltNames: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** True when the OS/Node trust store accepts the chain and the host name. */
  readonly trustedBySystem: boolean;
  readonly systemError: string | undefined;
}

function describeName(name: tls.PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .map(([key, value]) => `${key}=${Array.isArray(value) ? value.join('+') : String(value)}`)
    .join(', ');
}

/**
 * Opens a TLS connection, reads the leaf certificate and closes it: the first-use "do you trust
 * this fingerprint?" question needs the fingerprint before any `Authorization` header leaves.
 */
export function probeCertificate(
  url: URL,
  options: { readonly timeoutMs?: number; readonly signal?: AbortSignal } = {},
): Promise<CertificateProbe> {
  const port = url.port ? Number(url.port) : 443;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(cancelledError());
      return;
    }
    const socket = tls.connect({
      host,
      port,
      servername: isIP(host) === 0 ? host : undefined,
      rejectUnauthorized: false,
      timeout: options.timeoutMs ?? 10_000,
    });
    const finish = (fn: () => void): void => {
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      fn();
    };
    const onAbort = (): void => {
      finish(() => { reject(cancelledError()); });
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      if (!cert.fingerprint256) {
        finish(() => { reject(new PveError('tls', 'The server presented no certificate.', { tls: { kind: 'noCertificate' } })); });
        return;
      }
      // Typed as always present, but Node leaves it undefined for an authorized socket.
      const authorizationError: unknown = socket.authorizationError;
      let systemError = authorizationError instanceof Error ? authorizationError.message : typeof authorizationError === 'string' ? authorizationError : undefined;
      let trusted = socket.authorized;
      if (trusted) {
        const identityError = tls.checkServerIdentity(host, cert);
        if (identityError) {
          trusted = false;
          systemError = identityError.message;
        }
      }
      const san: unknown = cert.subjectaltname;
      const probe: CertificateProbe = {
        fingerprint: formatFingerprint(cert.fingerprint256),
        subject: describeName(cert.subject),
        issuer: describeName(cert.issuer),
        subjectAltNames: typeof san === 'string' ? san : '',
        validFrom: cert.valid_from,
        validTo: cert.valid_to,
        trustedBySystem: trusted,
        systemError,
      };
      finish(() => { resolve(probe); });
    });
    socket.once('timeout', () => {
      finish(() => { reject(new PveError('timeout', `No TLS answer from ${host}:${port}.`)); });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      finish(() => {
        reject(new PveError('network', `Cannot connect to ${host}:${port} (${error.code ?? error.message}).`, { cause: error }));
      });
    });
  });
}
