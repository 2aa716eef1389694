// The headless host's TLS certificate for LAN access: made on first use in <dataDir>/tls,
// self-signed (a site PC has no CA and no internet), valid 10 years, naming localhost, the
// PC's host name and its addresses. Browsers warn about a self-signed certificate: the
// operator compares the SHA-256 fingerprint that `serve` prints with the one the browser
// shows, once, and accepts it. A certificate that does not name the address being served
// is made again (with a new fingerprint, printed).
import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { writeFileDurably } from '../station/ledger-keys';

export interface TlsCertificate {
  key: string;
  cert: string;
  /** SHA-256 fingerprint, colon-separated hex, as browsers show it. */
  fingerprint256: string;
  created: boolean;
  certPath: string;
}

export function tlsPaths(dataDir: string): { keyPath: string; certPath: string } {
  return { keyPath: join(dataDir, 'tls', 'key.pem'), certPath: join(dataDir, 'tls', 'cert.pem') };
}

/** Loads the certificate, or makes one that names `bindAddress` (and this PC's addresses). */
export async function loadOrCreateTlsCertificate(
  dataDir: string,
  bindAddress: string,
): Promise<TlsCertificate> {
  const { keyPath, certPath } = tlsPaths(dataDir);
  if (existsSync(keyPath) && existsSync(certPath)) {
    const key = readFileSync(keyPath, 'utf8');
    const cert = readFileSync(certPath, 'utf8');
    const x509 = new X509Certificate(cert);
    if (covers(x509, bindAddress) && x509.checkPrivateKey(createPrivateKey(key)))
      return { key, cert, fingerprint256: x509.fingerprint256, created: false, certPath };
  }
  mkdirSync(join(dataDir, 'tls'), { recursive: true, mode: 0o700 });
  const { key, cert } = await selfSigned(bindAddress);
  writeFileDurably(keyPath, key, 0o600);
  writeFileDurably(certPath, cert, 0o644);
  return {
    key,
    cert,
    fingerprint256: new X509Certificate(cert).fingerprint256,
    created: true,
    certPath,
  };
}

function covers(cert: X509Certificate, address: string): boolean {
  if (address === '0.0.0.0' || address === '::') return true; // every address: judged by the browser
  return cert.checkIP(address) !== undefined || cert.checkHost(address) !== undefined;
}

async function selfSigned(bindAddress: string): Promise<{ key: string; cert: string }> {
  // Loaded only here: the rest of the station never needs X.509 creation.
  const { createSelfSignedCertificate, CertificatePurpose } = await import('node-opcua-crypto');
  const keys = await webcrypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    true,
    ['sign', 'verify'],
  );
  const ips = new Set(['127.0.0.1', '::1']);
  const dns = new Set(['localhost', hostname()]);
  for (const list of Object.values(networkInterfaces()))
    for (const a of list ?? []) if (!a.internal) ips.add(a.address.split('%')[0]!);
  if (/^[\d.]+$|:/.test(bindAddress)) {
    if (bindAddress !== '0.0.0.0' && bindAddress !== '::') ips.add(bindAddress);
  } else dns.add(bindAddress);
  const { cert } = await createSelfSignedCertificate({
    privateKey: keys.privateKey as never,
    subject: '/CN=Microgrid Station/O=Community microgrid',
    dns: [...dns],
    ip: [...ips],
    validity: 3650,
    purpose: CertificatePurpose.ForApplication,
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trimEnd()}\n-----END PRIVATE KEY-----\n`;
  return { key, cert };
}
