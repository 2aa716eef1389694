// Trust and identity over real TCP: an unknown server certificate is rejected by default and
// reported with what a technician decides on; trusting it (explicitly, or with the connect
// option) lets the next connection through and is stored; user name/password, anonymous and
// X.509 users are accepted or refused as the server says; a server that does not trust the
// station's certificate is reported as such.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCertificate } from '../../../drivers/opcua/certificate-info';
import { connectOpcua, type OpcuaConnectOptions } from '../../../drivers/opcua/connect';
import type { OpcuaIdentity } from '../../../drivers/opcua/identity';
import type { OpcuaSession } from '../../../drivers/opcua/opcua-session';
import {
  listCertificates,
  rejectServerCertificate,
  trustServerCertificate,
} from '../../../drivers/opcua/trust';
import type { OpcuaSimulator } from '../../../drivers/sim/opcua/opcua-simulator';
import { useTempDirs } from '../../support/temp-dir';
import { SIM_USER, startTestSimulator, stationDataDir, trustingDataDir } from '../../support/opcua';

const tempDir = useTempDirs('mg-opcua-user-');
let sim: OpcuaSimulator;
let userCertificate: { pem: string; key: string };

/** An X.509 user certificate with its key, as a technician's smart card export would be. */
async function makeUserCertificate(dir: string, name: string) {
  const manager = new OPCUACertificateManager({ rootFolder: dir, disableFileWatchers: true });
  await manager.initialize();
  const file = join(dir, 'user.pem');
  await manager.createSelfSignedCertificate({
    subject: `/CN=${name}`,
    applicationUri: `urn:microgrid-station:user:${name}`,
    dns: [],
    startDate: new Date(Date.now() - 60_000),
    validity: 30,
    outputFile: file,
  });
  const key = readFileSync(manager.privateKey, 'utf8');
  await manager.dispose();
  return { pem: readFileSync(file, 'utf8'), key };
}

beforeAll(async () => {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  userCertificate = await makeUserCertificate(
    mkdtempSync(join(tmpdir(), 'mg-opcua-user-')),
    'technician',
  );
  sim = await startTestSimulator({ userCertificates: [userCertificate.pem] });
});
afterAll(() => sim.stop());

const connect = (dataDir: string, extra: Partial<OpcuaConnectOptions> = {}) =>
  connectOpcua({
    endpointUrl: sim.endpointUrl,
    dataDir,
    securityMode: 'sign-encrypt',
    identity: SIM_USER,
    ...extra,
  });

async function expectSession(
  result: Awaited<ReturnType<typeof connectOpcua>>,
): Promise<OpcuaSession> {
  expect(result.ok, JSON.stringify(!result.ok && result.error)).toBe(true);
  if (!result.ok) throw new Error('no session');
  return result.value;
}

describe('server certificate trust', () => {
  it('rejects an unknown certificate by default and reports what to decide on', async () => {
    const dataDir = await stationDataDir();
    const refused = await connect(dataDir);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    const info = describeCertificate(sim.serverCertificate);
    expect(info.ok).toBe(true);
    if (!info.ok) return;
    const { thumbprint, notBefore, notAfter } = info.value;
    expect(thumbprint).toMatch(/^[0-9a-f]{40}$/);
    expect(refused.error).toMatchObject({
      code: 'certificate_untrusted',
      message: `server certificate not trusted: Battery Container Simulator, thumbprint ${thumbprint}, valid ${notBefore.slice(0, 10)}–${notAfter.slice(0, 10)}`,
      certificate: {
        thumbprint,
        thumbprintSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        subject: expect.stringContaining('CN=Battery Container Simulator'),
        issuer: expect.stringContaining('CN=Battery Container Simulator'),
        selfSigned: true,
        notBefore,
        notAfter,
        applicationUri: 'urn:microgrid-station:battery-container-simulator',
        pem: expect.stringContaining('-----BEGIN CERTIFICATE-----'),
      },
    });
    // OPC UA convention: a certificate nobody trusted yet waits in rejected/.
    const listed = await listCertificates(dataDir);
    expect(listed.ok && listed.value.certificates.map((c) => [c.status, c.thumbprint])).toEqual([
      ['rejected', thumbprint],
    ]);
  });

  it('accepts the certificate once trusted, and the decision is in the PKI folder', async () => {
    const dataDir = await stationDataDir();
    const refused = await connect(dataDir);
    expect(!refused.ok && refused.error.code).toBe('certificate_untrusted');
    const pem = !refused.ok ? refused.error.certificate!.pem : '';
    const trusted = await trustServerCertificate(dataDir, pem);
    expect(trusted.ok).toBe(true);
    // The shared PKI of the data directory is released between connections: a new
    // connection reads the decision back from disk.
    const session = await expectSession(await connect(dataDir));
    await session.close();
    const listed = await listCertificates(dataDir);
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    const [entry] = listed.value.certificates;
    expect(entry).toMatchObject({ status: 'trusted', subject: expect.stringContaining('Battery') });
    expect(entry!.file).toContain(join(dataDir, 'pki', 'trusted', 'certs'));
    expect(entry!.file).toContain(entry!.thumbprint);
    expect(listed.value.own.applicationUri).toMatch(/^urn:.+:MicrogridStation$/);
  });

  it('a rejected certificate is refused again', async () => {
    const dataDir = await trustingDataDir(sim);
    const session = await expectSession(await connect(dataDir));
    await session.close();
    expect((await rejectServerCertificate(dataDir, sim.serverCertificate)).ok).toBe(true);
    const refused = await connect(dataDir);
    expect(!refused.ok && refused.error.code).toBe('certificate_untrusted');
  });

  it('trustServerCertificate: true trusts the presented certificate and stores it', async () => {
    const dataDir = await stationDataDir();
    const session = await expectSession(await connect(dataDir, { trustServerCertificate: true }));
    expect(session.serverCertificate?.subject).toContain('Battery Container Simulator');
    await session.close();
    const again = await expectSession(await connect(dataDir));
    await again.close();
  });

  it('a trusted but expired certificate is refused, saying so', async () => {
    const expired = await startTestSimulator({}, async (pkiDir) => {
      const manager = new OPCUACertificateManager({
        rootFolder: pkiDir,
        disableFileWatchers: true,
      });
      await manager.initialize();
      await manager.createSelfSignedCertificate({
        subject: '/CN=Old Simulator',
        applicationUri: 'urn:microgrid-station:battery-container-simulator',
        dns: ['localhost'],
        startDate: new Date(Date.UTC(2024, 0, 1)),
        validity: 30,
        outputFile: join(pkiDir, 'own', 'certs', 'certificate.pem'),
      });
      await manager.dispose();
    });
    try {
      const dataDir = await trustingDataDir(expired);
      const refused = await connect(dataDir, { endpointUrl: expired.endpointUrl });
      expect(!refused.ok && refused.error).toMatchObject({
        code: 'certificate_invalid',
        statusCode: 'BadCertificateTimeInvalid',
        message: expect.stringMatching(
          /^server certificate Old Simulator \(thumbprint [0-9a-f]{40}\) cannot be used: it expired on 2024-01-31 \(BadCertificateTimeInvalid\)/,
        ),
        certificate: { notAfter: expect.stringMatching(/^2024-01-31/) },
      });
    } finally {
      await expired.stop();
    }
  });

  it('a server that does not trust the station says so, with the station thumbprint', async () => {
    const strict = await startTestSimulator({ acceptUnknownClients: false });
    try {
      const dataDir = await trustingDataDir(strict);
      const listed = await listCertificates(dataDir);
      const own = listed.ok ? listed.value.own.thumbprint : '?';
      const refused = await connectOpcua({
        endpointUrl: strict.endpointUrl,
        dataDir,
        securityMode: 'sign-encrypt',
        identity: SIM_USER,
      });
      expect(!refused.ok && refused.error).toMatchObject({
        code: 'client_certificate_rejected',
        message: expect.stringContaining(`thumbprint ${own}`),
      });
    } finally {
      await strict.stop();
    }
  });
});

describe('user identity', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await trustingDataDir(sim);
  });
  const user = (identity: OpcuaIdentity) => connect(dataDir, { identity });

  it('the configured user and password open a session', async () => {
    const session = await expectSession(await user(SIM_USER));
    expect(session.identity).toBe('username');
    await session.close();
  });

  it.each([
    ['a wrong password', { ...SIM_USER, password: 'wrong' }],
    ['an unknown user', { ...SIM_USER, username: 'intruder' }],
  ])('%s is bad_user', async (_what, identity) => {
    const refused = await user(identity);
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'bad_user',
      statusCode: 'BadUserAccessDenied',
      message: `${sim.endpointUrl} refused user "${identity.username}" (BadUserAccessDenied): check the user name and password or the user certificate`,
    });
  });

  it('anonymous is refused by a server without anonymous access, naming what it accepts', async () => {
    const refused = await user({ kind: 'anonymous' });
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'user_token_not_offered',
      message: expect.stringContaining('does not accept anonymous users'),
    });
  });

  it('an X.509 user certificate the server trusts opens a session', async () => {
    const session = await expectSession(
      await user({
        kind: 'certificate',
        certificate: userCertificate.pem,
        privateKey: userCertificate.key,
      }),
    );
    expect(session.identity).toBe('certificate');
    await session.close();
  });

  it('an X.509 user certificate the server does not know is bad_user', async () => {
    const stranger = await makeUserCertificate(tempDir(), 'stranger');
    const refused = await user({
      kind: 'certificate',
      certificate: stranger.pem,
      privateKey: stranger.key,
    });
    expect(!refused.ok && refused.error.code).toBe('bad_user');
  });

  it('a key that does not belong to the certificate is refused before connecting', async () => {
    const stranger = await makeUserCertificate(tempDir(), 'stranger');
    const refused = await user({
      kind: 'certificate',
      certificate: userCertificate.pem,
      privateKey: stranger.key,
    });
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'bad_options',
      message: 'the private key does not belong to the user certificate',
    });
  });
});
