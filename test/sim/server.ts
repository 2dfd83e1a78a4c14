// The HTTPS listener. Plain TCP sockets are wrapped in TLS by hand so that a fault can send a real
// TCP RST (the raw socket stays reachable) and so that a certificate rotation only affects new
// connections: existing sockets keep their session until they close, like pveproxy after a
// certificate change. TLS 1.2 with pveproxy's cipher list, and TLS 1.3.
import { createServer, type Server, type Socket } from 'node:net';
import { createSecureContext, TLSSocket, type SecureContext, type SecureVersion } from 'node:tls';
import type { CertificateBundle } from './certificates';
import { Connection, type RequestProcessor } from './http/connection';

/** pve-http-server's default cipher_list for TLS <= 1.2. */
const PVE_CIPHERS =
  'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-SHA384:ECDHE-RSA-AES256-SHA384:ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA256';

export interface TlsVersions {
  readonly minVersion: SecureVersion;
  readonly maxVersion: SecureVersion;
}

export class SimHttpsServer {
  private readonly server: Server;
  private context: SecureContext;
  private readonly connections = new Set<Connection>();
  private nextId = 0;
  /** Number of TCP connections accepted so far. */
  accepted = 0;

  constructor(
    private readonly processor: RequestProcessor,
    certificate: CertificateBundle,
    private readonly tlsVersions: TlsVersions,
  ) {
    this.context = this.makeContext(certificate);
    this.server = createServer({ noDelay: true }, (raw) => {
      this.accept(raw);
    });
  }

  private makeContext(cert: CertificateBundle): SecureContext {
    return createSecureContext({
      key: cert.keyPem,
      cert: cert.certPem,
      minVersion: this.tlsVersions.minVersion,
      maxVersion: this.tlsVersions.maxVersion,
      ciphers: PVE_CIPHERS,
      honorCipherOrder: true,
    });
  }

  private accept(raw: Socket): void {
    this.accepted++;
    raw.on('error', () => {
      raw.destroy();
    });
    const tls = new TLSSocket(raw, { isServer: true, secureContext: this.context });
    const conn = new Connection(++this.nextId, raw, tls, this.processor, (c) => {
      this.connections.delete(c);
    });
    this.connections.add(conn);
  }

  /** Serves a new certificate to new connections. */
  setCertificate(cert: CertificateBundle): void {
    this.context = this.makeContext(cert);
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Open connections right now. */
  get openConnections(): number {
    return this.connections.size;
  }

  /** Closes every keep-alive connection that waits for its next request; returns how many. */
  closeIdleConnections(): number {
    let n = 0;
    for (const c of this.connections) {
      if (c.idle) {
        c.end();
        n++;
      }
    }
    return n;
  }

  /** Drops every connection (graceful = TLS close_notify + FIN, otherwise destroy). */
  dropConnections(graceful = false): void {
    for (const c of this.connections) {
      if (graceful) c.end();
      else c.destroy();
    }
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => {
        resolve();
      });
    });
    this.dropConnections(false);
    await closed;
  }
}
