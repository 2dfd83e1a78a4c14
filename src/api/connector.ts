import type * as tls from 'node:tls';
import type buildConnectorType from 'undici/types/connector';
import { PveError } from './errors';
import { formatFingerprint, sameFingerprint } from './fingerprint';
import type { TrustConfig } from './trust';

type BuildConnector = typeof buildConnectorType;
type Connector = ReturnType<BuildConnector>;

/**
 * The TLS connect step for undici, where certificate trust is decided for every new socket.
 * Pinning happens here, not in `checkServerIdentity`: Node skips that callback for untrusted
 * chains and resumed sessions (SECURITY.md, TLS), so sessions are never cached when pinning.
 */
export function createConnector(buildConnector: BuildConnector, trust: TrustConfig, connectTimeoutMs: number): Connector {
  switch (trust.mode) {
    case 'system':
      return wrapErrors(buildConnector({ timeout: connectTimeoutMs }));
    case 'ca':
      return wrapErrors(buildConnector({ ca: trust.caPem, timeout: connectTimeoutMs, maxCachedSessions: 0 }));
    case 'fingerprint':
      return pinned(buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0, timeout: connectTimeoutMs }), trust.fingerprint);
  }
}

function pinned(base: Connector, expected: string): Connector {
  return (options, callback) => {
    base(options, (error, socket) => {
      if (error) {
        callback(toTlsError(error), null);
        return;
      }
      const cert = (socket as tls.TLSSocket).getPeerCertificate();
      const actual = cert.fingerprint256 ? formatFingerprint(cert.fingerprint256) : undefined;
      if (!actual) {
        socket.destroy();
        callback(new PveError('tls', 'The server presented no certificate.', { tls: { kind: 'noCertificate' } }), null);
        return;
      }
      if (!sameFingerprint(actual, expected)) {
        socket.destroy();
        callback(
          new PveError('tls', 'The server certificate does not match the pinned fingerprint.', {
            tls: { kind: 'fingerprintMismatch', expected: formatFingerprint(expected), actual },
          }),
          null,
        );
        return;
      }
      callback(null, socket);
    });
  };
}

function wrapErrors(base: Connector): Connector {
  return (options, callback) => {
    base(options, (error, socket) => {
      if (error) callback(toTlsError(error), null);
      else callback(null, socket);
    });
  };
}

const UNTRUSTED_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
]);

/** Certificate problems become `tls` errors; connection problems pass through for the transport. */
function toTlsError(error: Error): Error {
  if (error instanceof PveError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return new PveError('tls', 'The certificate is not valid for this host name.', { tls: { kind: 'hostnameMismatch' }, cause: error });
  }
  if (UNTRUSTED_CODES.has(code)) {
    return new PveError('tls', `The server certificate is not trusted (${code}).`, { tls: { kind: 'untrusted' }, cause: error });
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS/.test(error.message)) {
    return new PveError('tls', `The TLS handshake failed (${code || error.message}).`, { tls: { kind: 'handshake' }, cause: error });
  }
  return error;
}
