// The composition root's OPC UA pollers: the driver loads with the first device, a device
// that cannot be polled says why, and stopping closes every session.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../../../core/site/site-types';
import { OpcuaPollers } from '../../../drivers/opcua/opcua-poller-lazy';
import { startTestServer, type TestServer } from './subscription-test-server';

const root = mkdtempSync(join(tmpdir(), 'mg-opcua-lazy-'));
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ pkiDir: join(root, 'server-pki'), variables: 2 });
});
afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

const meter = (opcua: DeviceConfig['opcua']): DeviceConfig => ({
  id: 'meter',
  name: 'Meter',
  url: server.endpointUrl,
  role: 'grid-meter',
  memberId: null,
  pollIntervalMs: 500,
  enabled: true,
  ...(opcua ? { opcua } : {}),
});

describe('OpcuaPollers', () => {
  it('polls through the lazily loaded driver and closes its sessions on closeAll', async () => {
    const pollers = new OpcuaPollers({ dataDir: join(root, 'station') });
    const poller = pollers.createPoller(
      meter({
        securityMode: 'none',
        allowInsecure: true,
        points: [{ point: 'powerW', nodeId: server.nodeId(1), scale: -10 }],
      }),
    );
    expect(poller.status().state).toBe('connecting');
    const startedMs = Date.now();
    let reading = await poller.poll();
    while (reading?.values.powerW !== -10 && Date.now() - startedMs < 10_000) {
      await new Promise((r) => setTimeout(r, 20));
      reading = await poller.poll();
    }
    expect(reading).toMatchObject({ deviceId: 'meter', values: { powerW: -10 } });
    expect(poller.status().state).toBe('ok');
    expect(server.sessions()).toBe(1);
    await pollers.closeAll();
    expect(poller.status().state).not.toBe('ok');
    const closingMs = Date.now();
    while (server.sessions() > 0 && Date.now() - closingMs < 5000)
      await new Promise((r) => setTimeout(r, 20));
    expect(server.sessions()).toBe(0);
    await poller.close();
  });

  it('shows a device without an opcua section offline, with the reason', async () => {
    const pollers = new OpcuaPollers({ dataDir: join(root, 'station') });
    const poller = pollers.createPoller(meter(undefined));
    expect(await poller.poll()).toBeNull();
    expect(poller.status()).toMatchObject({
      id: 'meter',
      state: 'offline',
      lastError: expect.stringMatching(/no opcua section/),
    });
    await poller.close();
    await pollers.closeAll();
  });
});
