// Connection life over real loopback sockets: a bounded connect against dead endpoints,
// reconnect delays that grow to a bound, a server restart that forgot the old session and
// subscription, and a connection that goes silent without closing.
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectOpcua } from '../../../drivers/opcua/connect';
import {
  OpcuaSessionManager,
  type OpcuaConnector,
  type SessionManagerOptions,
} from '../../../drivers/opcua/session-manager';
import { startTestServer, type TestServer } from './subscription-test-server';

const root = mkdtempSync(join(tmpdir(), 'mg-opcua-life-'));
const dataDir = join(root, 'station');
let server: TestServer;
const managers: OpcuaSessionManager[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  server = await startTestServer({ pkiDir: join(root, 'server-pki'), variables: 5 });
});
afterEach(async () => {
  await Promise.all(managers.splice(0).map((m) => m.closeAll()));
  await Promise.all(closers.splice(0).map((c) => c()));
});
afterAll(async () => {
  await server?.stop();
  rmSync(root, { recursive: true, force: true });
});

interface Attempt {
  startMs: number;
  endMs: number;
  ok: boolean;
}

/** connectOpcua, recording when each attempt started and ended. */
function recording(attempts: Attempt[]): OpcuaConnector {
  return async (options) => {
    const startMs = Date.now();
    const result = await connectOpcua(options);
    attempts.push({ startMs, endMs: Date.now(), ok: result.ok });
    return result;
  };
}

function manager(options: Partial<SessionManagerOptions> = {}): OpcuaSessionManager {
  const m = new OpcuaSessionManager({
    dataDir,
    connectTimeoutMs: 800,
    requestTimeoutMs: 1000,
    keepAliveIntervalMs: 300,
    backoff: { initialMs: 100, maxMs: 400, factor: 2 },
    ...options,
  });
  managers.push(m);
  return m;
}

const monitor = (endpointUrl: string, nodeIds: string[]) =>
  ({
    server: { endpointUrl, securityMode: 'none', allowInsecure: true },
    set: {
      publishingIntervalMs: 100,
      keepAliveMs: 500,
      items: nodeIds.map((nodeId) => ({ nodeId, samplingIntervalMs: 50, deadband: null })),
    },
  }) as const;

async function until(check: () => boolean, timeoutMs = 10_000): Promise<number> {
  const startedMs = Date.now();
  while (!check()) {
    if (Date.now() - startedMs > timeoutMs) throw new Error(`condition not met in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - startedMs;
}

/** A TCP listener; `silent` ones accept connections and never send a byte. */
async function listener(onSocket: (socket: Socket) => void): Promise<Server & { port: number }> {
  const sockets = new Set<Socket>();
  const tcp = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => tcp.close(resolve));
  });
  return Object.assign(tcp, { port: (tcp.address() as { port: number }).port });
}

/** Forwards to `target`; while paused it passes nothing on, in either direction. */
async function pausableProxy(target: number): Promise<{ url: string; pause(p: boolean): void }> {
  let paused = false;
  const pairs = new Set<[Socket, Socket]>();
  const tcp = await listener((client) => {
    const server = connect(target, '127.0.0.1');
    server.on('error', () => client.destroy());
    const pair: [Socket, Socket] = [client, server];
    pairs.add(pair);
    client.on('data', (d) => paused || server.write(d));
    server.on('data', (d) => paused || client.write(d));
    client.on('close', () => (server.destroy(), pairs.delete(pair)));
    server.on('close', () => client.destroy());
  });
  return {
    url: `opc.tcp://127.0.0.1:${tcp.port}`,
    pause(p) {
      paused = p;
      // Connections that went silent stay silent, like a cable pulled mid-session.
      if (!p) for (const [client] of pairs) client.destroy();
    },
  };
}

describe('connect', () => {
  it('gives up on a server that accepts TCP and never answers, within the bound', async () => {
    const silent = await listener(() => undefined);
    const attempts: Attempt[] = [];
    const m = manager({ connect: recording(attempts) });
    const { server: spec, set } = monitor(`opc.tcp://127.0.0.1:${silent.port}`, ['i=2258']);
    const handle = m.register(spec, set);
    expect(handle.health().state).toBe('connecting');
    await until(() => attempts.length >= 1, 5000);
    const first = attempts[0]!;
    expect(first.ok).toBe(false);
    expect(first.endMs - first.startMs).toBeGreaterThanOrEqual(700);
    expect(first.endMs - first.startMs).toBeLessThan(2000);
    expect(handle.health()).toMatchObject({ state: 'offline', connected: false, errorCount: 1 });
    expect(handle.health().lastError).toMatch(/800 ms|time/i);
  });

  it('retries a refused port with delays doubling up to the bound', async () => {
    const closed = await listener(() => undefined);
    const port = closed.port;
    await closers.pop()!(); // nothing listens there any more
    const attempts: Attempt[] = [];
    const m = manager({ connect: recording(attempts) });
    const { server: spec, set } = monitor(`opc.tcp://127.0.0.1:${port}`, ['i=2258']);
    const handle = m.register(spec, set);
    await until(() => attempts.length >= 6, 8000);
    const gaps = attempts.slice(1).map((a, i) => a.startMs - attempts[i]!.endMs);
    const expected = [100, 200, 400, 400, 400];
    gaps.slice(0, 5).forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(expected[i]! - 15);
      expect(gap).toBeLessThan(expected[i]! + 250);
    });
    expect(handle.health().state).toBe('offline');
    expect(handle.health().lastError).toMatch(/127\.0\.0\.1/);
    const closing = Date.now();
    await m.closeAll();
    expect(Date.now() - closing).toBeLessThan(1000);
  });
});

describe('reconnect', () => {
  it('recreates the subscription and every item after the server restarted, and values resume', async () => {
    const m = manager();
    const ids = [0, 1, 2, 3, 4].map((i) => server.nodeId(i));
    const { server: spec, set } = monitor(server.endpointUrl, ids);
    const handle = m.register(spec, set);
    await until(() => handle.value(4)?.value === 4);
    await until(() => handle.health().latencyMs !== null);
    expect(handle.health()).toMatchObject({ state: 'ok', reconnects: 0 });
    expect(handle.identity()).toMatchObject({
      manufacturer: 'Test Lab',
      model: 'Subscription Test Server',
      version: '2.5.1 (build 77)',
      serialNumber: 'urn:test:subscription-server',
    });
    const requestsBefore = server.createRequests.length;

    await server.halt();
    const lostMs = await until(() => handle.health().state === 'offline', 5000);
    expect(lostMs).toBeLessThan(2000);
    expect(handle.value(0)).toBeNull();
    expect(handle.health().lastError).toMatch(/lost|closed/);
    await new Promise((r) => setTimeout(r, 600)); // a few refused reconnects
    server.set(2, 222); // changed while the station could not see it

    await server.resume();
    await until(() => handle.health().state === 'ok', 5000);
    await until(() => handle.value(2)?.value === 222, 5000);
    expect([0, 1, 3, 4].map((i) => handle.value(i)?.value)).toEqual([0, 1, 3, 4]);
    expect(handle.health().reconnects).toBe(1);
    expect(server.sessions()).toBe(1);
    expect(server.subscriptions()).toBe(1);
    expect(server.createRequests.slice(requestsBefore)).toEqual([5]);
    server.set(2, 23);
    await until(() => handle.value(2)?.value === 23);
    server.set(2, 2);
  });

  it('drops a connection that went silent, and comes back when it answers again', async () => {
    const proxy = await pausableProxy(server.port);
    const m = manager();
    const { server: spec, set } = monitor(proxy.url, [server.nodeId(1)]);
    const handle = m.register(spec, set);
    await until(() => handle.value(0)?.value === 1 && handle.health().state === 'ok');

    proxy.pause(true);
    await until(() => handle.health().state === 'degraded', 3000);
    expect(handle.health().lastError).toMatch(/keep-alive/);
    await until(() => handle.health().state === 'offline', 5000);
    expect(handle.health().lastError).toMatch(/stopped answering|no publish response/);

    proxy.pause(false);
    server.set(1, 11);
    await until(() => handle.value(0)?.value === 11, 10_000);
    expect(handle.health().state).toBe('ok');
    expect(handle.health().reconnects).toBeGreaterThanOrEqual(1);
    server.set(1, 1);
  });
});
