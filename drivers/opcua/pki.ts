// The station's OPC UA PKI in `<dataDir>/pki`, in node-opcua's folder layout (own/,
// trusted/certs, rejected/, issuers/): the station's application certificate, created on
// first use, and the server certificates a technician trusted or rejected. One certificate
// manager per folder and process, shared by every connection and trust decision, so a
// decision is seen at once; it re-reads the folders before each check, so decisions made
// by another process (the CLI next to a running station) count as well.
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { chmod, readFile, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import { describeCertificate, type CertificateInfo } from './certificate-info';
import { messageOf, opcuaError, type OpcuaError } from './opcua-error';
import './opcua-log';

export const PKI_FOLDER = 'pki';
export const STATION_APPLICATION_NAME = 'Microgrid Station';
/** Long enough that a site PC never meets an expiry in service; servers pin it anyway. */
const OWN_CERTIFICATE_VALIDITY_DAYS = 3650;

export interface StationPki {
  readonly rootDir: string;
  readonly certificateManager: OPCUACertificateManager;
  readonly certificateFile: string;
  readonly privateKeyFile: string;
  /** From the certificate itself, so it always matches what servers see. */
  readonly applicationUri: string;
  readonly certificate: CertificateInfo;
}

/** A reference to the shared PKI of a data directory; release it when done. */
export interface PkiLease {
  readonly pki: StationPki;
  release(): Promise<void>;
}

interface Entry {
  opened: Promise<StationPki>;
  refs: number;
}

const open = new Map<string, Entry>();

export const pkiDirOf = (dataDir: string): string => join(dataDir, PKI_FOLDER);

export async function acquireStationPki(dataDir: string): Promise<Result<PkiLease, OpcuaError>> {
  const rootDir = pkiDirOf(dataDir);
  let entry = open.get(rootDir);
  if (!entry) {
    entry = { opened: openPki(rootDir), refs: 0 };
    open.set(rootDir, entry);
  }
  entry.refs += 1;
  try {
    const pki = await entry.opened;
    let released = false;
    return ok({
      pki,
      release: async () => {
        if (released) return;
        released = true;
        await releaseEntry(rootDir);
      },
    });
  } catch (error) {
    await releaseEntry(rootDir);
    return fail(
      opcuaError(
        'pki_error',
        `cannot use the station's OPC UA certificate folder ${rootDir}: ${messageOf(error)}`,
      ),
    );
  }
}

/** Runs `use` with the data directory's PKI, releasing it afterwards. */
export async function withStationPki<T>(
  dataDir: string,
  use: (pki: StationPki) => Promise<Result<T, OpcuaError>>,
): Promise<Result<T, OpcuaError>> {
  const lease = await acquireStationPki(dataDir);
  if (!lease.ok) return lease;
  try {
    return await use(lease.value.pki);
  } finally {
    await lease.value.release();
  }
}

async function releaseEntry(rootDir: string): Promise<void> {
  const entry = open.get(rootDir);
  if (!entry) return;
  entry.refs -= 1;
  if (entry.refs > 0) return;
  open.delete(rootDir);
  const pki = await entry.opened.catch(() => null);
  await pki?.certificateManager.dispose();
}

async function openPki(rootDir: string): Promise<StationPki> {
  const certificateManager = new OPCUACertificateManager({
    rootFolder: rootDir,
    // Never trust a server certificate on first sight: a technician decides.
    automaticallyAcceptUnknownCertificate: false,
    keySize: 2048,
    // Watchers would keep short-lived processes (the CLI) alive; folders are re-read
    // before each check instead.
    disableFileWatchers: true,
  });
  try {
    await certificateManager.initialize();
    const certificateFile = join(certificateManager.ownCertFolder, 'client_certificate.pem');
    const privateKeyFile = certificateManager.privateKey;
    await protectPrivateKey(privateKeyFile);
    const certificate = await ownCertificate(certificateManager, certificateFile, privateKeyFile);
    return {
      rootDir,
      certificateManager,
      certificateFile,
      privateKeyFile,
      applicationUri: certificate.applicationUri!,
      certificate,
    };
  } catch (error) {
    await certificateManager.dispose().catch(() => undefined);
    throw error;
  }
}

/** The station's certificate; made when missing or when it does not fit the private key. */
async function ownCertificate(
  manager: OPCUACertificateManager,
  certificateFile: string,
  privateKeyFile: string,
): Promise<CertificateInfo> {
  const existing = await usableCertificate(certificateFile, privateKeyFile);
  if (existing) return existing;
  const host = hostname();
  await manager.createSelfSignedCertificate({
    applicationUri: `urn:${host}:MicrogridStation`,
    subject: `/CN=${STATION_APPLICATION_NAME}@${host}/O=${STATION_APPLICATION_NAME}`,
    dns: [host],
    startDate: new Date(Date.now() - 60_000), // a server whose clock is a little behind
    validity: OWN_CERTIFICATE_VALIDITY_DAYS,
    outputFile: certificateFile,
  });
  const made = await usableCertificate(certificateFile, privateKeyFile);
  if (!made) throw new Error(`the new certificate ${certificateFile} cannot be read back`);
  return made;
}

async function usableCertificate(
  certificateFile: string,
  privateKeyFile: string,
): Promise<CertificateInfo | null> {
  const [pem, keyPem] = await Promise.all([
    readFile(certificateFile, 'utf8').catch(() => null),
    readFile(privateKeyFile, 'utf8'),
  ]);
  if (pem === null) return null;
  const info = describeCertificate(pem);
  if (!info.ok || !info.value.applicationUri) return null;
  // A certificate left from an older key (the key file was replaced) cannot be used.
  const certificateKey = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'pem' });
  const ownKey = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'pem' });
  return certificateKey === ownKey ? info.value : null;
}

async function protectPrivateKey(privateKeyFile: string): Promise<void> {
  if (process.platform === 'win32') return;
  const mode = (await stat(privateKeyFile)).mode & 0o777;
  if (mode & 0o077) await chmod(privateKeyFile, 0o600);
}
