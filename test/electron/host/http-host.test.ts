import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createDispatcher, type RequestHandlers } from '../../../core/api/dispatcher';
import type { Snapshot } from '../../../core/points/snapshot';
import {
  PortInUseError,
  startHttpHost,
  type HttpHost,
  type HostedStation,
} from '../../../electron/host/http-host';
import { useTempDirs } from '../../support/temp-dir';
import { loginCookie, testAuth } from '../../support/host-auth';
import type { AuthService } from '../../../core/auth/auth-service';

// The station behind the host is replaced by a dispatcher over fixed handlers: this file
// tests the transport (routing, validation, WebSocket, static files); the real station is
// tested end to end in test/electron/serve.test.ts.
const tempDir = useTempDirs('mg-host-');
const NOW = Date.UTC(2026, 10, 26, 12);
const snapshot = {
  tsMs: NOW,
  points: {},
  devices: {},
  flows: { pvW: 1, loadW: 2, batteryW: 0, gridW: 1, socPct: 50 },
  members: [],
} as Snapshot;

let auth: AuthService;
beforeAll(async () => {
  auth = await testAuth(tempDir());
});

function fakeStation(): HostedStation & { emit(s: Snapshot): void; historyCalls: unknown[] } {
  const listeners = new Set<(s: Snapshot) => void>();
  const historyCalls: unknown[] = [];
  // Only the read API's methods: the commissioning methods are not reachable over HTTP.
  const handlers: Partial<RequestHandlers> = {
    'station.health': () => ({ status: 'ok' }) as never,
    'site.get': () => ({ id: 'site-1' }) as never,
    'snapshot.get': () => snapshot,
    'devices.list': () => [],
    'history.get': (q) => (
      historyCalls.push(q),
      { point: q.point, unit: 'W', resolution: 'raw', bucketMs: 1000, samples: [] }
    ),
  };
  const dispatcher = createDispatcher(handlers as RequestHandlers);
  return {
    dispatchAs: (caller, raw) => dispatcher(raw, caller),
    auth,
    onSnapshot: (h) => (listeners.add(h), () => listeners.delete(h)),
    nowMs: () => NOW,
    emit: (s) => listeners.forEach((l) => l(s)),
    historyCalls,
  };
}

let host: HttpHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function start(station = fakeStation()) {
  const rendererDir = tempDir();
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>UI</title>');
  writeFileSync(join(rendererDir, 'assets', 'app-123.js'), 'console.log(1)');
  writeFileSync(join(tempDir(), 'secret.txt'), 'secret');
  host = await startHttpHost(station, { host: '127.0.0.1', port: 0, rendererDir });
  const base = host.url.replace(/\/$/, '');
  const cookie = await loginCookie(base);
  /** A logged-in GET (the API answers 401 without a session, see host-auth.test.ts). */
  const get = (url: string, init: RequestInit = {}) =>
    fetch(url, { ...init, headers: { ...init.headers, cookie } });
  return { station, base, cookie, get };
}

describe('headless HTTP host', () => {
  it('serves the read API as JSON', async () => {
    const { base, get } = await start();
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(health.headers.get('content-type')).toMatch(/application\/json/);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(await (await get(`${base}/api/snapshot`)).json()).toEqual(snapshot);
  });

  it('parses history times as epoch ms or ISO 8601 and defaults to the last hour', async () => {
    const { base, station, get } = await start();
    expect(
      (
        await get(
          `${base}/api/history?point=site.pvW&from=2026-11-26T11:00:00Z&to=${NOW}&maxPoints=10`,
        )
      ).status,
    ).toBe(200);
    expect((await get(`${base}/api/history?point=site.pvW`)).status).toBe(200);
    expect(station.historyCalls).toEqual([
      { point: 'site.pvW', fromMs: NOW - 3600_000, toMs: NOW, maxPoints: 10 },
      { point: 'site.pvW', fromMs: NOW - 3600_000, toMs: NOW },
    ]);
    const bad = await get(`${base}/api/history?point=site.pvW&from=yesterday`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(
      /from must be/,
    );
    expect((await get(`${base}/api/history`)).status).toBe(400);
    expect((await get(`${base}/api/history?point=x&from=10&to=5`)).status).toBe(400);
  });

  it('answers unknown routes with 404 and writes with 405', async () => {
    const { base, get } = await start();
    expect((await get(`${base}/api/nope`)).status).toBe(404);
    expect((await get(`${base}/api/health`, { method: 'POST', body: '{}' })).status).toBe(405);
  });

  it('serves the renderer with security headers, SPA fallback and no path traversal', async () => {
    const { base } = await start();
    const index = await fetch(`${base}/`);
    expect(await index.text()).toContain('<title>UI</title>');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect((await fetch(`${base}/assets/app-123.js`)).headers.get('content-type')).toMatch(
      /javascript/,
    );
    expect((await fetch(`${base}/devices`)).status).toBe(200);
    expect((await fetch(`${base}/missing.js`)).status).toBe(404);
    const traversal = await fetch(`${base}/..%2f..%2fsecret.txt`);
    expect([403, 404]).toContain(traversal.status);
    expect(await traversal.text()).not.toContain('secret');
  });

  it('carries requests and pushed snapshots over the WebSocket', async () => {
    const { base, station, cookie } = await start();
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws`, {
      origin: base,
      headers: { cookie },
    });
    const messages: any[] = [];
    ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'request', id: 1, method: 'site.get', params: {} }));
    ws.send('not json');
    ws.send(
      JSON.stringify({ type: 'request', id: 2, method: 'history.get', params: { point: 'x' } }),
    );
    await until(() => messages.length >= 3);
    station.emit(snapshot);
    await until(() => messages.length >= 4);
    expect(messages).toContainEqual({ type: 'response', id: 1, ok: true, value: { id: 'site-1' } });
    expect(messages).toContainEqual(
      expect.objectContaining({
        id: -1,
        ok: false,
        error: expect.objectContaining({ code: 'bad_request' }),
      }),
    );
    expect(messages).toContainEqual(expect.objectContaining({ id: 2, ok: false }));
    expect(messages.at(-1)).toEqual({ type: 'event', event: 'snapshot', data: snapshot });
    ws.close();
  });

  it('refuses WebSocket connections from foreign origins', async () => {
    const { base } = await start();
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws`, {
      origin: 'http://evil.example',
    });
    const result = await new Promise((resolve) => {
      ws.once('open', () => resolve('open'));
      ws.once('error', (e) => resolve(e.message));
    });
    expect(result).toMatch(/403/);
  });

  it('reports a busy port as PortInUseError', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    await expect(
      startHttpHost(fakeStation(), { host: '127.0.0.1', port, rendererDir: tempDir() }),
    ).rejects.toBeInstanceOf(PortInUseError);
    blocker.close();
  });
});

async function until(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
