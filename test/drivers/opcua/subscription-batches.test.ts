// Monitored items over a real loopback server: created in batches the server accepts,
// values with their status, bad status as null, deadbands, and one session and one
// subscription shared by every device on a server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataType, StatusCodes } from 'node-opcua';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorRequest } from '../../../drivers/opcua/monitor-batches';
import {
  OpcuaSessionManager,
  type OpcuaMonitorHandle,
  type OpcuaServerSpec,
  type SessionManagerOptions,
} from '../../../drivers/opcua/session-manager';
import { startTestServer, type TestServer } from './subscription-test-server';

const root = mkdtempSync(join(tmpdir(), 'mg-opcua-batches-'));
const dataDir = join(root, 'station');
let limited: TestServer; // announces MaxMonitoredItemsPerCall = 7
let open: TestServer; // announces no limit
const managers: OpcuaSessionManager[] = [];

beforeAll(async () => {
  limited = await startTestServer({
    pkiDir: join(root, 'server-pki'),
    variables: 20,
    maxMonitoredItemsPerCall: 7,
    extra: [
      { name: 'Flag', dataType: DataType.Boolean, value: true },
      { name: 'Counter', dataType: DataType.Int64, value: [1, 5] },
      { name: 'Label', dataType: DataType.String, value: 'hello' },
    ],
  });
  open = await startTestServer({ pkiDir: join(root, 'server-pki'), variables: 20 });
});

afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.closeAll()));
});

afterAll(async () => {
  await Promise.all([limited?.stop(), open?.stop()]);
  rmSync(root, { recursive: true, force: true });
});

function manager(options: Partial<SessionManagerOptions> = {}): OpcuaSessionManager {
  const m = new OpcuaSessionManager({
    dataDir,
    keepAliveIntervalMs: 500,
    backoff: { initialMs: 100, maxMs: 500, factor: 2 },
    ...options,
  });
  managers.push(m);
  return m;
}

const spec = (server: TestServer): OpcuaServerSpec => ({
  endpointUrl: server.endpointUrl,
  securityMode: 'none',
  allowInsecure: true,
});

const items = (nodeIds: string[], deadband: number | null = null): MonitorRequest[] =>
  nodeIds.map((nodeId) => ({ nodeId, samplingIntervalMs: 50, deadband }));

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const startedMs = Date.now();
  while (!check()) {
    if (Date.now() - startedMs > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const arrived = (handle: OpcuaMonitorHandle, count: number): boolean =>
  range(count).every((i) => handle.value(i) !== null || handle.itemError(i) !== null);

const timing = { publishingIntervalMs: 100, keepAliveMs: 1000 };

describe('monitored items in batches', () => {
  it("keeps each CreateMonitoredItems call within the server's MaxMonitoredItemsPerCall", async () => {
    const before = limited.createRequests.length;
    const m = manager(); // default batch 500: the server's 7 must win
    const handle = m.register(spec(limited), {
      ...timing,
      items: items(range(20).map((i) => limited.nodeId(i))),
    });
    await until(() => arrived(handle, 20));
    expect(limited.createRequests.slice(before)).toEqual([7, 7, 6]);
    expect(m.live(handle.serverKey)?.batches).toEqual([7, 7, 6]);
    expect(range(20).map((i) => handle.value(i)?.value)).toEqual(range(20));
    expect(handle.health()).toMatchObject({ state: 'ok', connected: true, subscribed: true });
  });

  it('uses the configured batch size on a server without a limit', async () => {
    const before = open.createRequests.length;
    const m = manager({ batchSize: 6 });
    const handle = m.register(spec(open), {
      ...timing,
      items: items(range(20).map((i) => open.nodeId(i))),
    });
    await until(() => arrived(handle, 20));
    expect(open.createRequests.slice(before)).toEqual([6, 6, 6, 2]);
  });

  it('groups items by monitoring parameters, each group in its own batches', async () => {
    const before = open.createRequests.length;
    const m = manager({ batchSize: 4 });
    const requests = [
      ...items(range(6).map((i) => open.nodeId(i))),
      ...items(
        range(5).map((i) => open.nodeId(i + 6)),
        2,
      ),
    ];
    const handle = m.register(spec(open), { ...timing, items: requests });
    await until(() => arrived(handle, 11));
    expect(open.createRequests.slice(before)).toEqual([4, 2, 4, 1]);
  });

  it('halves the batch when a server refuses it as too large without announcing a limit', async () => {
    const secretive = await startTestServer({
      pkiDir: join(root, 'server-pki'),
      variables: 20,
      maxMonitoredItemsPerCall: 5,
      hideLimits: true,
    });
    try {
      const m = manager({ batchSize: 20 });
      const handle = m.register(spec(secretive), {
        ...timing,
        items: items(range(20).map((i) => secretive.nodeId(i))),
      });
      await until(() => arrived(handle, 20));
      // 20 and 10 refused with BadTooManyOperations, then batches of 5 accepted.
      expect(secretive.createRequests).toEqual([20, 10, 5, 5, 5, 5]);
      expect(m.live(handle.serverKey)?.batches).toEqual([5, 5, 5, 5]);
      expect(range(20).every((i) => handle.itemError(i) === null)).toBe(true);
      expect(handle.health().state).toBe('ok');
    } finally {
      await Promise.all(managers.splice(0).map((m) => m.closeAll()));
      await secretive.stop();
    }
  });
});

describe('values', () => {
  it('arrive with status and timestamps; a bad status is null, not the last good number', async () => {
    const m = manager();
    const handle = m.register(spec(limited), {
      ...timing,
      items: items([limited.nodeId(3), 'ns=1;s=Flag', 'ns=1;s=Counter', 'ns=1;s=Label']),
    });
    await until(() => arrived(handle, 4));
    expect(handle.value(0)).toMatchObject({ value: 3, status: 'Good' });
    expect(handle.value(0)?.sourceTimestampMs).toBeTypeOf('number');
    expect(handle.value(1)?.value).toBe(1);
    expect(handle.value(2)?.value).toBe(2 ** 32 + 5);
    expect(handle.value(3)).toMatchObject({ value: null, status: 'Good' });

    limited.set(3, 42.5);
    await until(() => handle.value(0)?.value === 42.5);
    limited.set(3, 43, StatusCodes.BadSensorFailure);
    await until(() => handle.value(0)?.status === 'BadSensorFailure');
    expect(handle.value(0)?.value).toBeNull();
    limited.set(3, 44, StatusCodes.UncertainLastUsableValue);
    await until(() => handle.value(0)?.status === 'UncertainLastUsableValue');
    expect(handle.value(0)?.value).toBeNull();
    limited.set(3, 45);
    await until(() => handle.value(0)?.value === 45);
    limited.set(3, 3);
  });

  it('names a node the server does not know, and monitors the others', async () => {
    const m = manager();
    const handle = m.register(spec(limited), {
      ...timing,
      items: items([limited.nodeId(1), 'ns=1;s=NoSuchNode', 'not a node id']),
    });
    await until(() => arrived(handle, 3));
    expect(handle.value(0)?.value).toBe(1);
    expect(handle.itemError(1)).toBe('BadNodeIdUnknown');
    expect(handle.itemError(2)).toMatch(/not a node id/);
    expect(handle.health().state).toBe('ok');
  });

  it('leaves changes inside an absolute deadband unreported', async () => {
    const m = manager();
    const handle = m.register(spec(limited), {
      ...timing,
      items: items([limited.nodeId(5)], 10),
    });
    await until(() => handle.value(0)?.value === 5);
    limited.set(5, 9); // |9 - 5| < 10
    await new Promise((r) => setTimeout(r, 400));
    expect(handle.value(0)?.value).toBe(5);
    limited.set(5, 20);
    await until(() => handle.value(0)?.value === 20);
    limited.set(5, 5);
  });
});

describe('one session and one subscription per server', () => {
  it('is shared by every device on it; shared nodes are monitored once', async () => {
    const m = manager();
    const sessionsBefore = open.sessions();
    const before = open.createRequests.length;
    const a = m.register(spec(open), { ...timing, items: items([open.nodeId(0), open.nodeId(1)]) });
    await until(() => arrived(a, 2));
    const b = m.register(spec(open), {
      publishingIntervalMs: 200,
      keepAliveMs: 1000,
      items: items([open.nodeId(1), open.nodeId(2)]),
    });
    await until(() => arrived(b, 2));
    expect(m.serverCount).toBe(1);
    expect(open.sessions() - sessionsBefore).toBe(1);
    expect(open.createRequests.slice(before)).toEqual([2, 1]);
    expect(b.value(0)?.value).toBe(1);
    expect(m.live(a.serverKey)?.timing?.publishingIntervalMs).toBe(100);

    // A faster device speeds the shared subscription up instead of opening another one.
    const c = m.register(spec(open), {
      publishingIntervalMs: 50,
      keepAliveMs: 1000,
      items: items([open.nodeId(3)]),
    });
    await until(() => arrived(c, 1));
    await until(() => m.live(a.serverKey)?.subscription?.publishingInterval === 50);
    expect(m.live(a.serverKey)?.timing).toEqual({
      publishingIntervalMs: 50,
      maxKeepAliveCount: 20,
      lifetimeCount: 600,
    });
    expect(open.subscriptions()).toBe(1);
    await c.release();

    await a.release();
    expect(m.serverCount).toBe(1);
    open.set(2, 22);
    await until(() => b.value(1)?.value === 22);
    await b.release();
    expect(m.serverCount).toBe(0);
    await until(() => open.sessions() === sessionsBefore);
    open.set(2, 2);
  });

  it('opens another session for another user or security setting', async () => {
    const m = manager();
    const a = m.register(spec(limited), { ...timing, items: items([limited.nodeId(0)]) });
    const b = m.register(spec(open), { ...timing, items: items([open.nodeId(0)]) });
    await until(() => arrived(a, 1) && arrived(b, 1));
    expect(m.serverCount).toBe(2);
    expect(a.serverKey).not.toBe(b.serverKey);
  });
});
