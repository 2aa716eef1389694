// The station's own OPC UA PKI: made on first use in <dataDir>/pki in node-opcua's layout,
// kept across restarts, shared within a process, remade when the certificate no longer
// fits the key, and a clear error when the folder cannot be used.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setOpcuaLogSink } from '../../../drivers/opcua/opcua-log';
import { acquireStationPki, pkiDirOf } from '../../../drivers/opcua/pki';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs('mg-opcua-pki-');

async function openPki(dataDir: string) {
  const lease = await acquireStationPki(dataDir);
  if (!lease.ok) throw new Error(lease.error.message);
  return lease.value;
}

describe('station PKI', () => {
  it('is made on first use in <dataDir>/pki with the OPC UA folder layout', async () => {
    const dataDir = tempDir();
    const lease = await openPki(dataDir);
    const root = pkiDirOf(dataDir);
    expect(lease.pki.rootDir).toBe(root);
    for (const folder of ['own/certs', 'own/private', 'trusted/certs', 'rejected', 'issuers/certs'])
      expect(existsSync(join(root, folder)), folder).toBe(true);
    expect(lease.pki.certificateFile).toBe(join(root, 'own', 'certs', 'client_certificate.pem'));
    expect(readFileSync(lease.pki.certificateFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    if (process.platform !== 'win32')
      expect(statSync(lease.pki.privateKeyFile).mode & 0o777).toBe(0o600);
    expect(lease.pki.certificate).toMatchObject({
      subject: expect.stringContaining('CN=Microgrid Station@'),
      applicationUri: lease.pki.applicationUri,
    });
    await lease.release();
  });

  it('keeps its certificate across restarts and shares one PKI within a process', async () => {
    const dataDir = tempDir();
    const [a, b] = await Promise.all([openPki(dataDir), openPki(dataDir)]);
    expect(a.pki).toBe(b.pki);
    const thumbprint = a.pki.certificate.thumbprint;
    await a.release();
    await a.release(); // a second release of the same lease does nothing
    const c = await openPki(dataDir);
    expect(c.pki).toBe(b.pki);
    await Promise.all([b.release(), c.release()]);
    const reopened = await openPki(dataDir);
    expect(reopened.pki).not.toBe(b.pki);
    expect(reopened.pki.certificate.thumbprint).toBe(thumbprint);
    await reopened.release();
  });

  it('makes a new certificate when the old one does not fit the private key', async () => {
    const dataDir = tempDir();
    const first = await openPki(dataDir);
    const { certificate, privateKeyFile } = first.pki;
    await first.release();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const second = await openPki(dataDir);
    expect(second.pki.certificate.thumbprint).not.toBe(certificate.thumbprint);
    await second.release();
  });

  it('a data directory that cannot hold it is a pki_error naming the folder', async () => {
    const file = join(tempDir(), 'not-a-folder');
    writeFileSync(file, '');
    const logged: string[] = [];
    setOpcuaLogSink((level, text) => logged.push(`${level}: ${text}`));
    const lease = await acquireStationPki(file).finally(() => setOpcuaLogSink(null));
    expect(logged.join('\n')).toContain('cannot create folder');
    expect(!lease.ok && lease.error).toMatchObject({
      code: 'pki_error',
      message: expect.stringContaining(
        `cannot use the station's OPC UA certificate folder ${join(file, 'pki')}`,
      ),
    });
  });
});
