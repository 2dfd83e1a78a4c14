// TLS material made with the openssl CLI (no hand-rolled crypto): a self-signed leaf, or a leaf
// signed by a local CA the way PVE does it (pve-root-ca.pem signs each node's pve-ssl.pem).
// Fingerprints are shown as PVE shows them: SHA-256, 32 upper-case hex pairs joined by ':'.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const OPENSSL = process.env.PVE_SIM_OPENSSL ?? 'openssl';

export interface CertificateAuthority {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface CertificateBundle {
  readonly keyPem: string;
  readonly certPem: string;
  /** Set in CA mode: the CA that signed the leaf (what a user would save as pve-root-ca.pem). */
  readonly ca?: CertificateAuthority;
  /** "AB:CD:…" SHA-256 of the leaf. */
  readonly fingerprint: string;
}

export interface CertificateOptions {
  /** 'self-signed' (default) or 'ca' (leaf signed by a local CA). */
  readonly mode?: 'self-signed' | 'ca';
  /** subjectAltName entries, default ["IP:127.0.0.1", "DNS:localhost"]; use e.g. ["DNS:pve1.invalid"] for a hostname mismatch. */
  readonly altNames?: readonly string[];
  readonly commonName?: string;
  /** CA mode: reuse this CA instead of making a new one (a rotation keeps the cluster CA). */
  readonly ca?: CertificateAuthority;
  /** Key type; PVE uses RSA 2048. */
  readonly keyType?: 'rsa' | 'ec';
}

export function pveFingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256.toUpperCase();
}

function keyArgs(keyType: 'rsa' | 'ec'): string[] {
  return keyType === 'ec' ? ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'] : ['-newkey', 'rsa:2048'];
}

export async function createCertificate(opts: CertificateOptions = {}): Promise<CertificateBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'pve-sim-cert-'));
  const keyType = opts.keyType ?? 'rsa';
  const san = (opts.altNames ?? ['IP:127.0.0.1', 'DNS:localhost']).join(',');
  const cn = opts.commonName ?? 'pve1.sim.invalid';
  const subject = `/OU=PVE Cluster Node/O=Proxmox Virtual Environment/CN=${cn}`;
  const p = (name: string): string => join(dir, name);
  try {
    if ((opts.mode ?? 'self-signed') === 'self-signed') {
      await run(OPENSSL, ['req', '-x509', ...keyArgs(keyType), '-nodes', '-keyout', p('key.pem'), '-out', p('cert.pem'), '-days', '3650', '-subj', subject, '-addext', `subjectAltName=${san}`, '-addext', 'extendedKeyUsage=serverAuth']);
      const certPem = await readFile(p('cert.pem'), 'utf8');
      return { keyPem: await readFile(p('key.pem'), 'utf8'), certPem, fingerprint: pveFingerprint(certPem) };
    }
    let ca = opts.ca;
    if (!ca) {
      await run(OPENSSL, [
        'req', '-x509', ...keyArgs(keyType), '-nodes', '-keyout', p('ca-key.pem'), '-out', p('ca.pem'), '-days', '3650',
        '-subj', '/CN=Proxmox Virtual Environment/OU=pve-sim/O=PVE Cluster Manager CA',
        '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      ]);
      ca = { certPem: await readFile(p('ca.pem'), 'utf8'), keyPem: await readFile(p('ca-key.pem'), 'utf8') };
    } else {
      await writeFile(p('ca.pem'), ca.certPem);
      await writeFile(p('ca-key.pem'), ca.keyPem);
    }
    await run(OPENSSL, ['req', '-new', ...keyArgs(keyType), '-nodes', '-keyout', p('key.pem'), '-out', p('leaf.csr'), '-subj', subject]);
    await writeFile(
      p('ext.cnf'),
      `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,nonRepudiation,keyEncipherment,keyAgreement\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`,
    );
    await run(OPENSSL, ['x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca-key.pem'), '-CAcreateserial', '-out', p('cert.pem'), '-days', '700', '-sha256', '-extfile', p('ext.cnf')]);
    const certPem = await readFile(p('cert.pem'), 'utf8');
    return { keyPem: await readFile(p('key.pem'), 'utf8'), certPem, ca, fingerprint: pveFingerprint(certPem) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
