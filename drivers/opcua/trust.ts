// Trust decisions about server certificates, persisted in the station's PKI folder so
// they survive restarts: trusted/certs holds the certificates a technician trusted,
// rejected/ the ones rejected — by a technician, or on first sight because nobody has
// trusted them yet (the OPC UA convention: the file waits there for a decision).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../core/result';
import {
  certificateDer,
  describeCertificate,
  firstOfChain,
  type CertificateInfo,
} from './certificate-info';
import { messageOf, opcuaError, type OpcuaError } from './opcua-error';
import { withStationPki, type StationPki } from './pki';

export type TrustStatus = 'trusted' | 'rejected';

export interface StoredCertificate extends CertificateInfo {
  status: TrustStatus;
  file: string;
}

export interface CertificateList {
  /** The station's own application certificate (what servers must trust). */
  own: CertificateInfo;
  certificates: StoredCertificate[];
}

export type CertificateVerdict =
  | { status: 'trusted' }
  | { status: 'untrusted' }
  /** Trusted or not, unusable: e.g. BadCertificateTimeInvalid for an expired one. */
  | { status: 'invalid'; statusCode: string };

function derOf(certificate: Buffer | string): Result<Buffer, OpcuaError> {
  const der = certificateDer(certificate);
  if (!der.ok) return fail(opcuaError('certificate_invalid', der.error.message));
  const info = describeCertificate(der.value);
  return info.ok ? der : fail(opcuaError('certificate_invalid', info.error.message));
}

async function decide(
  dataDir: string,
  certificate: Buffer | string,
  status: TrustStatus,
): Promise<Result<CertificateInfo, OpcuaError>> {
  const der = derOf(certificate);
  if (!der.ok) return der;
  const leaf = firstOfChain(der.value);
  return withStationPki(dataDir, async (pki) => {
    try {
      const manager = pki.certificateManager;
      await manager.reloadCertificates();
      if (status === 'trusted') await manager.trustCertificate(leaf);
      else await manager.rejectCertificate(leaf);
    } catch (error) {
      return fail(opcuaError('pki_error', `cannot store the decision: ${messageOf(error)}`));
    }
    return describeCertificate(leaf) as Result<CertificateInfo, OpcuaError>;
  });
}

/** Trusts a server certificate (DER or PEM) from now on; moves it out of rejected/. */
export const trustServerCertificate = (dataDir: string, certificate: Buffer | string) =>
  decide(dataDir, certificate, 'trusted');

/** Rejects a server certificate (DER or PEM); moves it out of trusted/. */
export const rejectServerCertificate = (dataDir: string, certificate: Buffer | string) =>
  decide(dataDir, certificate, 'rejected');

/** The station's own certificate and every stored server certificate with its status. */
export async function listCertificates(
  dataDir: string,
): Promise<Result<CertificateList, OpcuaError>> {
  return withStationPki(dataDir, async (pki) => {
    const manager = pki.certificateManager;
    const certificates = [
      ...(await readFolder(manager.trustedFolder, 'trusted')),
      ...(await readFolder(manager.rejectedFolder, 'rejected')),
    ];
    return ok({ own: pki.certificate, certificates });
  });
}

async function readFolder(folder: string, status: TrustStatus): Promise<StoredCertificate[]> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const found: StoredCertificate[] = [];
  for (const name of names.filter((n) => /\.(pem|der|crt|cer)$/i.test(n)).sort()) {
    const file = join(folder, name);
    const info = describeCertificate(await readFile(file));
    // A stray unreadable file is not a decision about any server: leave it out.
    if (info.ok) found.push({ ...info.value, status, file });
  }
  return found;
}

/** The station's verdict on a server certificate, from its trusted/ and issuers/ folders. */
export async function checkServerCertificate(
  pki: StationPki,
  der: Buffer,
): Promise<CertificateVerdict> {
  const manager = pki.certificateManager;
  await manager.reloadCertificates();
  const status = await manager.checkCertificate(der);
  if (status.isGood()) return { status: 'trusted' };
  const name = status.name;
  if (name === 'BadCertificateUntrusted') return { status: 'untrusted' };
  return { status: 'invalid', statusCode: name };
}
