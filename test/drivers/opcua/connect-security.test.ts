// Every security mode and policy against the simulator over real TCP, and the refusals that
// happen before a session exists: security none without allowInsecure, obsolete policies,
// modes and policies the server does not offer (each naming what it does offer).
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOpcua, type OpcuaConnectOptions } from '../../../drivers/opcua/connect';
import { getServerEndpoints } from '../../../drivers/opcua/discover';
import { readValues } from '../../../drivers/opcua/read';
import { SECURITY_POLICIES } from '../../../drivers/opcua/security';
import { BATTERY_NODES } from '../../../drivers/sim/opcua/battery-address-space';
import type { OpcuaSimulator } from '../../../drivers/sim/opcua/opcua-simulator';
import { listenTcp } from '../../../drivers/sim/tcp-listen';
import { SIM_USER, startTestSimulator, trustingDataDir } from '../../support/opcua';

let sim: OpcuaSimulator;
let encryptOnly: OpcuaSimulator;
let dataDir: string;
beforeAll(async () => {
  [sim, encryptOnly] = await Promise.all([
    startTestSimulator(),
    startTestSimulator({ securityModes: ['sign-encrypt'], securityPolicies: ['Basic256Sha256'] }),
  ]);
  dataDir = await trustingDataDir(sim); // both simulators share the template certificate
});
afterAll(async () => {
  await Promise.all([sim.stop(), encryptOnly.stop()]);
});

const options = (extra: Partial<OpcuaConnectOptions> = {}): OpcuaConnectOptions => ({
  endpointUrl: sim.endpointUrl,
  dataDir,
  securityMode: 'sign-encrypt',
  identity: SIM_USER,
  ...extra,
});

describe('connectOpcua: every mode and policy', () => {
  for (const mode of ['sign', 'sign-encrypt'] as const) {
    for (const policy of SECURITY_POLICIES) {
      it(`${mode} with ${policy} opens a session that reads the battery`, async () => {
        const connected = await connectOpcua(
          options({ securityMode: mode, securityPolicy: policy }),
        );
        expect(connected.ok, JSON.stringify(!connected.ok && connected.error)).toBe(true);
        if (!connected.ok) return;
        const s = connected.value;
        try {
          expect(s).toMatchObject({
            securityMode: mode,
            securityPolicy: policy,
            identity: 'username',
          });
          expect(s.serverCertificate?.applicationUri).toBe(
            'urn:microgrid-station:battery-container-simulator',
          );
          const read = await readValues(s, [sim.nodeId(BATTERY_NODES.stateOfChargePct)]);
          expect(read.ok && read.value[0]).toMatchObject({ value: 50, statusCode: 'Good' });
        } finally {
          await s.close();
        }
        expect(s.closed).toBe(true);
      });
    }
  }

  it('security none works only with allowInsecure, on a server that offers it', async () => {
    const open = await startTestSimulator({
      securityModes: ['none', 'sign-encrypt'],
      allowAnonymous: true,
    });
    try {
      const refused = await connectOpcua({
        ...options(),
        endpointUrl: open.endpointUrl,
        securityMode: 'none',
      });
      expect(!refused.ok && refused.error.code).toBe('insecure_not_allowed');
      const connected = await connectOpcua({
        ...options({ endpointUrl: open.endpointUrl, securityMode: 'none', allowInsecure: true }),
        identity: { kind: 'anonymous' },
      });
      expect(connected.ok, JSON.stringify(!connected.ok && connected.error)).toBe(true);
      if (connected.ok) {
        expect(connected.value).toMatchObject({
          securityMode: 'none',
          securityPolicy: 'None',
          serverCertificate: null,
        });
        await connected.value.close();
      }
    } finally {
      await open.stop();
    }
  });
});

describe('getServerEndpoints', () => {
  it('lists modes, policies, user tokens and the certificate without a session', async () => {
    const offered = await getServerEndpoints(encryptOnly.endpointUrl, dataDir);
    expect(offered.ok && offered.value).toEqual([
      {
        endpointUrl: encryptOnly.endpointUrl,
        securityMode: 'sign-encrypt',
        securityPolicy: 'Basic256Sha256',
        securityLevel: expect.any(Number),
        userTokens: ['username', 'certificate'],
        serverCertificate: encryptOnly.serverCertificate,
      },
    ]);
    const bad = await getServerEndpoints('http://example.com', dataDir);
    expect(!bad.ok && bad.error.code).toBe('bad_url');
  });
});

describe('connectOpcua: refusals', () => {
  it('a server offering only SignAndEncrypt refuses a None connection, naming what it offers', async () => {
    const refused = await connectOpcua(
      options({ endpointUrl: encryptOnly.endpointUrl, securityMode: 'none', allowInsecure: true }),
    );
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'security_mode_refused',
      message: `${encryptOnly.endpointUrl} does not offer security none (it only accepts secured connections); it offers sign-encrypt with Basic256Sha256`,
    });
  });

  it('sign on a server offering only sign-encrypt is refused as a mode', async () => {
    const refused = await connectOpcua(
      options({ endpointUrl: encryptOnly.endpointUrl, securityMode: 'sign' }),
    );
    expect(!refused.ok && refused.error.code).toBe('security_mode_refused');
  });

  it('a policy the server does not offer is named with the offers', async () => {
    const refused = await connectOpcua(
      options({ endpointUrl: encryptOnly.endpointUrl, securityPolicy: 'Aes256_Sha256_RsaPss' }),
    );
    expect(!refused.ok && refused.error).toMatchObject({
      code: 'policy_not_offered',
      message: expect.stringContaining(
        'does not offer policy Aes256_Sha256_RsaPss with security sign-encrypt; it offers sign-encrypt with Basic256Sha256',
      ),
    });
  });

  describe('before anything is sent', () => {
    let listener: Server;
    let port: number;
    let connections = 0;
    beforeAll(async () => {
      listener = createServer((socket) => {
        connections += 1;
        socket.destroy();
      });
      port = await listenTcp(listener);
    });
    afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));
    const url = () => `opc.tcp://127.0.0.1:${port}`;

    it.each(['Basic128Rsa15', 'Basic256'])('obsolete policy %s is refused', async (policy) => {
      const refused = await connectOpcua(options({ endpointUrl: url(), securityPolicy: policy }));
      expect(!refused.ok && refused.error).toMatchObject({
        code: 'policy_obsolete',
        message: expect.stringMatching(new RegExp(`^security policy ${policy} is obsolete`)),
      });
      expect(connections).toBe(0);
    });

    it('security none without allowInsecure, an unknown policy and a bad URL are refused', async () => {
      const none = await connectOpcua(options({ endpointUrl: url(), securityMode: 'none' }));
      expect(!none.ok && none.error.code).toBe('insecure_not_allowed');
      const unknown = await connectOpcua(options({ endpointUrl: url(), securityPolicy: 'Rot13' }));
      expect(!unknown.ok && unknown.error).toMatchObject({
        code: 'bad_options',
        message: expect.stringContaining('unknown security policy "Rot13"'),
      });
      const mixed = await connectOpcua(
        options({
          endpointUrl: url(),
          securityMode: 'none',
          securityPolicy: 'Basic256Sha256',
          allowInsecure: true,
        }),
      );
      expect(!mixed.ok && mixed.error.code).toBe('bad_options');
      const badUrl = await connectOpcua(options({ endpointUrl: `modbus-tcp://127.0.0.1:${port}` }));
      expect(!badUrl.ok && badUrl.error.code).toBe('bad_url');
      expect(connections).toBe(0);
    });
  });
});
