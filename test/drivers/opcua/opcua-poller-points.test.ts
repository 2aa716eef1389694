// How the poller turns item values into points when things are not fine: a Bad status, a
// node the server does not know, a value the subscription stopped confirming.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StatusCodes } from 'node-opcua';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../../../core/site/site-types';
import { createOpcuaPoller } from '../../../drivers/opcua/opcua-poller-factory';
import type { OpcuaPoller } from '../../../drivers/opcua/opcua-poller';
import { OpcuaSessionManager } from '../../../drivers/opcua/session-manager';
import { startTestServer, type TestServer } from './subscription-test-server';

const root = mkdtempSync(join(tmpdir(), 'mg-opcua-points-'));
let server: TestServer;
let manager: OpcuaSessionManager;
let clockOffsetMs = 0;
let meter: OpcuaPoller;

function device(points: NonNullable<DeviceConfig['opcua']>['points']): DeviceConfig {
  return {
    id: 'meter',
    name: 'Meter',
    url: server.endpointUrl,
    role: 'grid-meter',
    memberId: null,
    pollIntervalMs: 1000,
    enabled: true,
    opcua: {
      securityMode: 'none',
      allowInsecure: true,
      samplingIntervalMs: 100,
      publishingIntervalMs: 100,
      points,
    },
  };
}

beforeAll(async () => {
  server = await startTestServer({ pkiDir: join(root, 'server-pki'), variables: 4 });
  manager = new OpcuaSessionManager({ dataDir: join(root, 'station'), keepAliveIntervalMs: 500 });
  const created = createOpcuaPoller(
    device([
      { point: 'powerW', nodeId: server.nodeId(1), scale: 1000 },
      { point: 'voltageV', nodeId: server.nodeId(2) },
      { point: 'frequencyHz', nodeId: 'ns=1;s=Missing' },
    ]),
    manager,
    join(root, 'station'),
    { nowMs: () => Date.now() + clockOffsetMs },
  );
  if (!created.ok) throw new Error(created.error.message);
  meter = created.value;
});

afterAll(async () => {
  await meter?.close();
  await manager?.closeAll();
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

async function until<T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  const startedMs = Date.now();
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() - startedMs > 10_000) throw new Error(`not met: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('OpcuaPoller points', () => {
  it('polls null while connecting, then maps values; an unknown node is null and degrades', async () => {
    expect(meter.status().state).toBe('connecting');
    const reading = await until(
      () => meter.poll(),
      (r) => r?.values.powerW === 1000 && r.values.voltageV === 2,
    );
    expect(reading?.values).toEqual({ powerW: 1000, voltageV: 2, frequencyHz: null });
    expect(meter.status()).toMatchObject({
      state: 'degraded',
      lastError: 'frequencyHz (ns=1;s=Missing): BadNodeIdUnknown',
      lastGoodReadMs: null,
    });
  });

  it('makes a point with a Bad status null and says so, then takes the good value back', async () => {
    server.set(2, 231, StatusCodes.BadSensorFailure);
    const bad = await until(
      () => meter.poll(),
      (r) => r?.values.voltageV === null,
    );
    expect(bad?.values.powerW).toBe(1000);
    expect(meter.status().lastError).toMatch(/voltageV \(ns=1;s=V2\): BadSensorFailure/);
    server.set(2, 232);
    const good = await until(
      () => meter.poll(),
      (r) => r?.values.voltageV === 232,
    );
    expect(good?.values.voltageV).toBe(232);
    expect(meter.status().lastError).not.toMatch(/BadSensorFailure/);
  });

  it('makes values null once the subscription has not confirmed them within the stale limit', async () => {
    clockOffsetMs = 3000 + 500; // the device's stale limit is 3 polls of 1 s
    try {
      const reading = await meter.poll();
      expect(reading?.values).toMatchObject({ powerW: null, voltageV: null });
    } finally {
      clockOffsetMs = 0;
    }
    const fresh = await meter.poll();
    expect(fresh?.values).toMatchObject({ powerW: 1000, voltageV: 232 });
  });

  it('keeps an unchanging value current: keep-alive publish responses confirm it', async () => {
    const before = await meter.poll();
    expect(before?.values.powerW).toBe(1000);
    await new Promise((r) => setTimeout(r, 3500)); // longer than the stale limit, no changes
    const after = await meter.poll();
    expect(after?.values.powerW).toBe(1000);
  });

  it('fails the poll while the server is down and reports offline', async () => {
    await server.halt();
    try {
      await until(
        async () => meter.status().state,
        (s) => s === 'offline',
      );
      expect(await meter.poll()).toBeNull();
    } finally {
      await server.resume();
    }
    await until(
      () => meter.poll(),
      (r) => r?.values.powerW === 1000,
    );
  });
});
