// The headless host's door: login and logout with a cookie, first-run setup, back-off, CSRF
// checks, 401 without a session and 403 for a role that may not act, over HTTP and the
// WebSocket, and HTTPS with the data directory's certificate. Real AuthService on a real
// SQLite file; the station behind it is a dispatcher over a few fixed handlers.
import { request as httpsRequest } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createDispatcher, type RequestHandlers } from '../../../core/api/dispatcher';
import type { AuthService } from '../../../core/auth/auth-service';
import { startHttpHost, type HostedStation, type HttpHost } from '../../../electron/host/http-host';
import { loadOrCreateTlsCertificate } from '../../../electron/host/tls-certificate';
import { ADMIN, TEST_COST, loginCookie, testAuth } from '../../support/host-auth';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs('mg-host-auth-');
let host: HttpHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

function station(auth: AuthService, calls: string[] = []): HostedStation & { push(): void } {
  const listeners = new Set<(s: never) => void>();
  const handlers: Partial<RequestHandlers> = {
    'station.health': () => ({ status: 'ok' }) as never,
    'site.get': () => ({ id: 'site-1' }) as never,
    'control.setMode': () => (calls.push('setMode'), {}) as never,
  };
  const dispatcher = createDispatcher(handlers as RequestHandlers);
  return {
    dispatchAs: (caller, raw) => dispatcher(raw, caller),
    auth,
    onSnapshot: (h) => (listeners.add(h), () => listeners.delete(h)),
    nowMs: () => Date.now(),
    ledgerHead: () => ({ height: 3, hash: 'ab'.repeat(32), entries: 9 }),
    push: () => listeners.forEach((l) => l({ tsMs: 1 } as never)),
  };
}

async function start(auth: AuthService, calls: string[] = []) {
  const s = station(auth, calls);
  host = await startHttpHost(s, { host: '127.0.0.1', port: 0, rendererDir: tempDir() });
  return { station: s, base: host.url.replace(/\/$/, '') };
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

function socket(base: string, cookie?: string) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/ws`, {
    origin: base,
    headers: cookie ? { cookie } : {},
  });
  const messages: any[] = [];
  ws.on('message', (d) => messages.push(JSON.parse(d.toString())));
  let id = 0;
  const ask = async (method: string, params: unknown = {}) => {
    const mine = ++id;
    ws.send(JSON.stringify({ type: 'request', id: mine, method, params }));
    for (let i = 0; i < 300; i++) {
      const reply = messages.find((m) => m.id === mine);
      if (reply) return reply;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no reply to ${method}`);
  };
  return { ws, messages, ask, open: new Promise((r) => ws.once('open', r)) };
}

describe('host login', () => {
  it('answers 401 without a session, except health and the ledger head', async () => {
    const { base } = await start(await testAuth(tempDir()));
    const session = await fetch(`${base}/api/session`);
    expect(session.status).toBe(401);
    expect(await session.json()).toMatchObject({
      error: { code: 'unauthenticated' },
      setupNeeded: false,
    });
    expect((await fetch(`${base}/api/site`)).status).toBe(401);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    expect((await fetch(`${base}/api/ledger/head`)).status).toBe(200);
    expect((await fetch(`${base}/api/site`, { method: 'POST' })).status).toBe(401);
  });

  it('logs in with an HttpOnly SameSite=Strict cookie, and out again', async () => {
    const { base } = await start(await testAuth(tempDir()));
    const wrong = await post(`${base}/api/login`, { user: ADMIN.user, password: 'not it at all' });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'auth_failed' } });
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const login = await post(`${base}/api/login`, ADMIN);
    expect(login.status).toBe(200);
    expect(await login.json()).toMatchObject({ user: ADMIN.user, role: 'admin' });
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^mg_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict/);
    expect(setCookie).not.toMatch(/Secure/); // plain HTTP on loopback
    const cookie = setCookie.split(';')[0]!;
    const session = await fetch(`${base}/api/session`, { headers: { cookie } });
    expect(await session.json()).toMatchObject({
      user: ADMIN.user,
      role: 'admin',
      capabilities: ['view', 'steer', 'commission', 'administer'],
    });
    expect((await fetch(`${base}/api/site`, { headers: { cookie } })).status).toBe(200);
    const logout = await post(`${base}/api/logout`, {}, { cookie });
    expect(logout.status).toBe(204);
    expect(logout.headers.get('set-cookie')).toMatch(/^mg_session=; .*Max-Age=0/);
    expect((await fetch(`${base}/api/site`, { headers: { cookie } })).status).toBe(401);
  });

  it('refuses cross-site and non-JSON logins (CSRF) and bad bodies', async () => {
    const { base } = await start(await testAuth(tempDir()));
    const evil = await post(`${base}/api/login`, ADMIN, { origin: 'http://evil.example' });
    expect(evil.status).toBe(403);
    const fetchSite = await post(`${base}/api/login`, ADMIN, { 'sec-fetch-site': 'cross-site' });
    expect(fetchSite.status).toBe(403);
    const form = await fetch(`${base}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `user=${ADMIN.user}&password=x`,
    });
    expect(form.status).toBe(415);
    expect((await fetch(`${base}/api/login`)).status).toBe(405);
    for (const body of ['{', '[]', JSON.stringify({ user: '', password: 'x' }), 'x'.repeat(5000)])
      expect(
        (
          await fetch(`${base}/api/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body,
          })
        ).status,
      ).toBe(400);
    const sameOrigin = await post(`${base}/api/login`, ADMIN, { origin: base });
    expect(sameOrigin.status).toBe(200);
  });

  it('backs off after 5 failed logins with 429 and Retry-After', async () => {
    const { base } = await start(await testAuth(tempDir()));
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await post(`${base}/api/login`, { user: ADMIN.user, password: `guess ${i} guess` }))
          .status,
      );
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429]);
    const locked = await post(`${base}/api/login`, ADMIN);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('makes the first admin once, from this PC only', async () => {
    const { base } = await start(await testAuth(tempDir(), { admin: false }));
    expect(await (await fetch(`${base}/api/session`)).json()).toMatchObject({ setupNeeded: true });
    const weak = await post(`${base}/api/setup`, { user: 'ana', password: 'short' });
    expect(weak.status).toBe(400);
    expect(await weak.json()).toMatchObject({ error: { code: 'weak_password' } });
    const made = await post(`${base}/api/setup`, { user: 'ana', password: 'a long passphrase' });
    expect(made.status).toBe(200);
    expect(await made.json()).toMatchObject({ user: 'ana', role: 'admin' });
    expect(made.headers.get('set-cookie')).toMatch(/^mg_session=/);
    const again = await post(`${base}/api/setup`, {
      user: 'mallory',
      password: 'a long passphrase',
    });
    expect(again.status).toBe(409);
  });
});

describe('host WebSocket', () => {
  it('answers unauthenticated and pushes nothing without a session; 403 for a role that may not act', async () => {
    const auth = await testAuth(tempDir());
    await auth.add({ user: 'test', role: null }, 'vera', 'viewer', 'a viewer passphrase');
    const calls: string[] = [];
    const { base, station: s } = await start(auth, calls);

    const anonymous = socket(base);
    await anonymous.open;
    expect(await anonymous.ask('site.get')).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await anonymous.ask('control.setMode', { mode: 'monitor' })).toMatchObject({
      error: { code: 'unauthenticated' },
    });
    expect(await anonymous.ask('station.health')).toMatchObject({ ok: true });

    const viewerCookie = await loginCookie(base, { user: 'vera', password: 'a viewer passphrase' });
    const viewer = socket(base, viewerCookie);
    await viewer.open;
    expect(await viewer.ask('site.get')).toMatchObject({ ok: true, value: { id: 'site-1' } });
    expect(await viewer.ask('control.setMode', { mode: 'monitor' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringMatching(/viewer/) },
    });
    expect(calls).toEqual([]);

    const admin = socket(base, await loginCookie(base));
    await admin.open;
    expect(await admin.ask('control.setMode', { mode: 'monitor' })).toMatchObject({ ok: true });
    expect(calls).toEqual(['setMode']);

    s.push();
    await new Promise((r) => setTimeout(r, 200));
    const events = (m: { messages: any[] }) => m.messages.filter((x) => x.type === 'event');
    expect(events(anonymous)).toHaveLength(0);
    expect(events(viewer)).toHaveLength(1);

    // Logging out ends the socket's rights at once.
    await post(`${base}/api/logout`, {}, { cookie: viewerCookie });
    expect(await viewer.ask('site.get')).toMatchObject({ error: { code: 'unauthenticated' } });
    for (const c of [anonymous, viewer, admin]) c.ws.close();
  });
});

describe('host over HTTPS', () => {
  it('serves with the data directory certificate and marks the cookie Secure', async () => {
    const dataDir = tempDir();
    const tls = await loadOrCreateTlsCertificate(dataDir, '127.0.0.1');
    expect(tls.created).toBe(true);
    expect(tls.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const again = await loadOrCreateTlsCertificate(dataDir, '127.0.0.1');
    expect(again).toMatchObject({ created: false, fingerprint256: tls.fingerprint256 });
    const auth = await testAuth(tempDir());
    host = await startHttpHost(station(auth), {
      host: '127.0.0.1',
      port: 0,
      rendererDir: tempDir(),
      tls,
    });
    expect(host.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/$/);
    const reply = await new Promise<{ status: number; cookie: string; hsts: string }>(
      (resolve, reject) => {
        const req = httpsRequest(
          `${host!.url}api/login`,
          { method: 'POST', ca: tls.cert, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve({
              status: res.statusCode ?? 0,
              cookie: String(res.headers['set-cookie'] ?? ''),
              hsts: String(res.headers['strict-transport-security'] ?? ''),
            });
          },
        );
        req.on('error', reject);
        req.end(JSON.stringify(ADMIN));
      },
    );
    expect(reply.status).toBe(200);
    expect(reply.cookie).toMatch(/; Secure/);
    expect(reply.hsts).toMatch(/max-age=/);
    expect(TEST_COST.logN).toBeLessThan(15);
  });
});
