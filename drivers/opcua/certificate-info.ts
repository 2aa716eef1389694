// What a technician needs to decide whether to trust a certificate, read from the DER
// bytes with Node's own X.509 parser: thumbprints (SHA-1 hex as OPC UA tools and the PKI
// folder's file names show it, and SHA-256), subject, issuer, validity and the OPC UA
// application URI from the subjectAltName.
import { X509Certificate } from 'node:crypto';
import { fail, ok, type Result } from '../../core/result';

export interface CertificateInfo {
  /** SHA-1 of the DER bytes, lowercase hex without separators. */
  thumbprint: string;
  /** SHA-256 of the DER bytes, lowercase hex without separators. */
  thumbprintSha256: string;
  /** e.g. "CN=BatteryContainer@plc-1, O=Microgrid Station" */
  subject: string;
  issuer: string;
  selfSigned: boolean;
  /** ISO 8601, UTC. */
  notBefore: string;
  notAfter: string;
  /** The URI in the subjectAltName (an OPC UA application URI), if any. */
  applicationUri: string | null;
  /** DNS names and IP addresses in the subjectAltName. */
  hosts: string[];
}

/** A certificate as shown to a technician, with the PEM needed to trust exactly it. */
export interface PresentedCertificate extends CertificateInfo {
  pem: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** DER bytes of a certificate given as DER or PEM (the first one of a PEM bundle). */
export function certificateDer(certificate: Buffer | string): Result<Buffer> {
  if (Buffer.isBuffer(certificate)) {
    const text = certificate.subarray(0, 64).toString('latin1');
    if (!text.includes('-----BEGIN')) return ok(firstOfChain(certificate));
    certificate = certificate.toString('utf8');
  }
  const block = certificate.match(PEM_BLOCK)?.[0];
  if (!block) return fail({ code: 'bad_certificate', message: 'no PEM certificate found' });
  const base64 = block.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return ok(Buffer.from(base64, 'base64'));
}

export function derToPem(der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * The leaf of a certificate chain sent as concatenated DER (OPC UA sends chains that way):
 * the first ASN.1 SEQUENCE, measured by its own length header.
 */
export function firstOfChain(der: Buffer): Buffer {
  if (der.length < 2 || der[0] !== 0x30) return der;
  const first = der[1]!;
  if (first < 0x80) return der.subarray(0, 2 + first);
  const lengthBytes = first & 0x7f;
  if (lengthBytes === 0 || lengthBytes > 4 || der.length < 2 + lengthBytes) return der;
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + der[2 + i]!;
  const total = 2 + lengthBytes + length;
  return total < der.length ? der.subarray(0, total) : der;
}

const hex = (fingerprint: string) => fingerprint.replace(/:/g, '').toLowerCase();
const names = (dn: string) => dn.split('\n').filter(Boolean).join(', ');
const iso = (text: string) => new Date(text).toISOString();

export function describeCertificate(certificate: Buffer | string): Result<CertificateInfo> {
  const der = certificateDer(certificate);
  if (!der.ok) return der;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der.value);
  } catch (error) {
    return fail({
      code: 'bad_certificate',
      message: `not a readable X.509 certificate (${(error as Error).message})`,
    });
  }
  const altNames = (x509.subjectAltName ?? '').split(/,\s*/).filter(Boolean);
  const uri = altNames.find((n) => n.startsWith('URI:'));
  const hosts = altNames
    .filter((n) => n.startsWith('DNS:') || n.startsWith('IP Address:'))
    .map((n) => n.slice(n.indexOf(':') + 1));
  return ok({
    thumbprint: hex(x509.fingerprint),
    thumbprintSha256: hex(x509.fingerprint256),
    subject: names(x509.subject),
    issuer: names(x509.issuer),
    selfSigned: x509.subject === x509.issuer && x509.checkIssued(x509),
    notBefore: iso(x509.validFrom),
    notAfter: iso(x509.validTo),
    applicationUri: uri ? uri.slice('URI:'.length) : null,
    hosts,
  });
}

export function presentCertificate(der: Buffer): Result<PresentedCertificate> {
  const leaf = firstOfChain(der);
  const info = describeCertificate(leaf);
  return info.ok ? ok({ ...info.value, pem: derToPem(leaf) }) : info;
}

/** The subject's common name (what tools list certificates by), else the whole subject. */
export const subjectName = (info: CertificateInfo): string =>
  /(?:^|, )CN=([^,]+)/.exec(info.subject)?.[1] ?? info.subject;

/** "valid 2026-11-26–2036-11-23": dates only, as a technician compares them. */
export const validityText = (info: CertificateInfo): string =>
  `${info.notBefore.slice(0, 10)}–${info.notAfter.slice(0, 10)}`;
