// The Electron shell (electron/main.ts, electron/preload.ts) wired to the real station.
// MOCK: the `electron` module itself. Its binary cannot be installed on these machines
// (no download), so app, BrowserWindow, ipcMain, protocol, session and contextBridge are
// recording stand-ins; everything behind them (runtime, demo devices, SQLite) is real, and
// net.fetch reads the real built renderer (out/renderer, built by `npm test` before this).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { APP_PROTOCOL_CSP } from '../../electron/content-security-policy';

const rec = vi.hoisted(() => ({
  windows: [] as { options: any; sent: [string, any][]; loaded: string[] }[],
  handlers: new Map<string, (event: any, ...args: any[]) => any>(),
  appEvents: new Map<string, (...args: any[]) => void>(),
  schemes: [] as any[],
  protocolHandlers: new Map<string, (req: Request) => any>(),
  exposed: new Map<string, any>(),
  invoked: [] as any[][],
  quit: vi.fn(),
  enableSandbox: vi.fn(),
  permissionHandler: null as
    null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
  permissionCheckHandler: null as null | ((...args: unknown[]) => boolean),
  devicePermissionHandler: null as null | ((...args: unknown[]) => boolean),
}));

vi.mock('electron', async () => {
  const { readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  class BrowserWindow {
    record = { options: undefined as any, sent: [] as [string, any][], loaded: [] as string[] };
    webContents = {
      id: 1,
      send: (channel: string, message: any) => this.record.sent.push([channel, message]),
    };
    constructor(options: any) {
      this.record.options = options;
      rec.windows.push(this.record);
    }
    isDestroyed = () => false;
    on() {}
    loadURL = async (url: string) => void this.record.loaded.push(url);
  }
  return {
    app: {
      isPackaged: false,
      whenReady: () => Promise.resolve(),
      on: (name: string, fn: any) => rec.appEvents.set(name, fn),
      quit: rec.quit,
      exit: vi.fn(),
      enableSandbox: rec.enableSandbox,
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: any) => rec.handlers.set(channel, fn) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: any[]) => rec.schemes.push(...schemes),
      handle: (scheme: string, fn: any) => rec.protocolHandlers.set(scheme, fn),
    },
    // Like Electron's: a file: URL read from disk, rejected when the file is missing.
    net: {
      fetch: async (url: string) =>
        new Response(await readFile(fileURLToPath(url)), {
          headers: { 'content-type': url.endsWith('.html') ? 'text/html' : 'text/plain' },
        }),
    },
    // No OS key store in this test: the ledger key stays a plain 0600 file.
    safeStorage: { isEncryptionAvailable: () => false },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (fn: any) => (rec.permissionHandler = fn),
        setPermissionCheckHandler: (fn: any) => (rec.permissionCheckHandler = fn),
        setDevicePermissionHandler: (fn: any) => (rec.devicePermissionHandler = fn),
      },
    },
    contextBridge: { exposeInMainWorld: (name: string, api: any) => rec.exposed.set(name, api) },
    ipcRenderer: {
      invoke: async (channel: string, message: any, input?: any) => (
        rec.invoked.push(
          channel === 'station:auth' ? [channel, message, input] : [channel, message],
        ),
        { type: 'response', id: message?.id, ok: true, value: null }
      ),
      on: vi.fn(),
      off: vi.fn(),
    },
  };
});

const dataDir = mkdtempSync(join(tmpdir(), 'mg-electron-'));
process.env.MICROGRID_DATA_DIR = dataDir;
afterAll(async () => {
  rec.appEvents.get('window-all-closed')?.();
  await vi.waitFor(() => expect(rec.quit).toHaveBeenCalled(), { timeout: 10_000 });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Electron main process', () => {
  it('opens a sandboxed, context-isolated window on the app: protocol', async () => {
    await import('../../electron/main');
    await vi.waitFor(() => expect(rec.windows[0]?.loaded).toEqual(['app://station/index.html']), {
      timeout: 20_000,
    });
    // Exactly these preferences: a new one (or a changed one) must be a decision.
    expect(rec.windows[0]!.options.webPreferences).toEqual({
      preload: expect.stringMatching(/out[/\\]preload[/\\]index\.cjs$/),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: true, // not packaged here; false when app.isPackaged
    });
    expect(rec.windows[0]!.options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(rec.enableSandbox).toHaveBeenCalled();
    // Privileged as a standard, secure scheme: never bypassCSP, never corsEnabled.
    expect(rec.schemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('denies every permission request, permission check and device', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const answer = vi.fn();
      rec.permissionHandler!({}, permission, answer);
      expect(answer).toHaveBeenCalledWith(false);
      expect(rec.permissionCheckHandler!({}, permission, 'app://station')).toBe(false);
    }
    expect(rec.devicePermissionHandler!({ deviceType: 'serial' })).toBe(false);
  });

  it('keeps every web contents on the app: no navigation away, no new window, no webview', () => {
    const on = new Map<string, (...args: any[]) => void>();
    let openHandler: ((details: { url: string }) => unknown) | undefined;
    const contents = {
      on: (name: string, fn: any) => on.set(name, fn),
      setWindowOpenHandler: (fn: any) => (openHandler = fn),
    };
    rec.appEvents.get('web-contents-created')!({}, contents);
    const attempt = (name: string, url: string) => {
      const event = { url, preventDefault: vi.fn() };
      on.get(name)!(event, url);
      return event.preventDefault.mock.calls.length > 0;
    };
    for (const name of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(attempt(name, 'https://evil.example/'), name).toBe(true);
      expect(attempt(name, 'file:///etc/passwd'), name).toBe(true);
      expect(attempt(name, 'app://station.evil/index.html'), name).toBe(true);
      expect(attempt(name, 'app://station/index.html#/devices'), name).toBe(false);
    }
    expect(attempt('will-attach-webview', 'app://station/index.html')).toBe(true);
    expect(openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(openHandler!({ url: 'app://station/index.html' })).toEqual({ action: 'deny' });
  });

  it('logs a window in over IPC; its requests run as that user, other windows get nothing', async () => {
    const auth = rec.handlers.get('station:auth')!;
    const handle = rec.handlers.get('station:request')!;
    const frame = { url: 'app://station/index.html', parent: null };
    const siteGet = { type: 'request', id: 9, method: 'site.get', params: {} };
    expect(rec.windows[0]!.sent).toEqual([]); // no session, no pushed events
    expect(await handle({ senderFrame: frame, sender: { id: 1 } }, siteGet)).toMatchObject({
      ok: false,
      error: { code: 'unauthenticated' },
    });
    expect(await auth({ senderFrame: frame, sender: { id: 1 } }, 'session')).toEqual({
      ok: false,
      setupNeeded: true,
    });
    const foreign = { url: 'https://evil.example/', parent: null };
    expect(
      await auth({ senderFrame: foreign, sender: { id: 1 } }, 'setup', {
        user: 'mallory',
        password: 'a long passphrase',
      }),
    ).toMatchObject({ ok: false });
    expect(
      await auth({ senderFrame: frame, sender: { id: 1 } }, 'setup', { user: 'desk', password: 1 }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const made = await auth({ senderFrame: frame, sender: { id: 1 } }, 'setup', {
      user: 'desk-admin',
      password: 'a long desk passphrase',
    });
    expect(made).toMatchObject({ ok: true, session: { user: 'desk-admin', role: 'admin' } });
    expect(await handle({ senderFrame: frame, sender: { id: 2 } }, siteGet)).toMatchObject({
      error: { code: 'unauthenticated' },
    });
    const wrong = await auth({ senderFrame: frame, sender: { id: 2 } }, 'login', {
      user: 'desk-admin',
      password: 'not the passphrase',
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'auth_failed' } });
  });

  it('answers IPC requests from its own pages only, with the real station behind', async () => {
    const handle = rec.handlers.get('station:request')!;
    const own = await handle(
      { senderFrame: { url: 'app://station/index.html', parent: null }, sender: { id: 1 } },
      { type: 'request', id: 1, method: 'site.get', params: {} },
    );
    expect(own).toMatchObject({ id: 1, ok: true, value: { id: 'riverside-coop' } });
    const bad = await handle(
      { senderFrame: { url: 'app://station/index.html', parent: null }, sender: { id: 1 } },
      { type: 'request', id: 2, method: 'history.get', params: { point: 1 } },
    );
    expect(bad).toMatchObject({ id: 2, ok: false, error: { code: 'bad_request' } });
    const foreign = await handle(
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { type: 'request', id: 3, method: 'site.get', params: {} },
    );
    expect(foreign).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: 'sender not allowed' },
    });
    const request = { type: 'request', id: 4, method: 'site.get', params: {} };
    expect(await handle({ senderFrame: null }, request)).toMatchObject({ ok: false });
    // The app's own origin, but inside a frame, or a look-alike host: refused too.
    const framed = { url: 'app://station/index.html', parent: { url: 'app://station/' } };
    expect(await handle({ senderFrame: framed }, request)).toMatchObject({ ok: false });
    const lookAlike = { url: 'app://station.evil/index.html', parent: null };
    expect(await handle({ senderFrame: lookAlike }, request)).toMatchObject({ ok: false });
  });

  it('pushes live snapshots to the window', async () => {
    // Other events (an alarm count, site changes) may come first: find the snapshot.
    const snapshotSent = () => rec.windows[0]!.sent.find(([, m]) => m?.event === 'snapshot');
    await vi.waitFor(() => expect(snapshotSent()).toBeDefined(), { timeout: 5000 });
    const [channel, message] = snapshotSent()!;
    expect(rec.windows[0]!.sent.every(([c]) => c === 'station:event')).toBe(true);
    expect(channel).toBe('station:event');
    expect(message).toMatchObject({
      type: 'event',
      event: 'snapshot',
      data: { flows: expect.any(Object) },
    });
  });

  it('serves only files inside out/renderer under app://station, with the CSP', async () => {
    const serve = rec.protocolHandlers.get('app')!;
    const index = await serve(new Request('app://station/index.html'));
    expect(index.status).toBe(200);
    expect(index.headers.get('content-security-policy')).toBe(APP_PROTOCOL_CSP);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<div id="app"></div>');
    // Out of the folder, however spelled: refused before anything is read.
    for (const url of [
      'app://station/..%2fpackage.json',
      'app://station/assets/..%2f..%2f..%2fpackage.json',
      'app://station/%2e%2e%2f%2e%2e%2fpackage.json',
      'app://station/index.html%00.js',
      'app://station/%E0%A4%A',
      'app://other/index.html',
    ]) {
      const refused = await serve(new Request(url));
      expect(refused.status, url).toBe(403);
      expect(refused.headers.get('content-security-policy'), url).toBe(APP_PROTOCOL_CSP);
    }
    // Dots the URL parser resolves itself stay inside the folder: no such file there.
    const dotted = await serve(new Request('app://station/../package.json'));
    expect(dotted.status).toBe(404);
    expect(await dotted.text()).not.toContain('"name": "microgrid-station"');
    expect((await serve(new Request('app://station/', { method: 'POST' }))).status).toBe(405);
  });
});

describe('Electron preload', () => {
  it('exposes one bridge: request, onEvent and the window login, only functions', async () => {
    await import('../../electron/preload');
    expect([...rec.exposed.keys()]).toEqual(['microgridStation']);
    const bridge = rec.exposed.get('microgridStation');
    expect(Object.keys(bridge).sort()).toEqual(['auth', 'onEvent', 'request']);
    expect(Object.keys(bridge.auth).sort()).toEqual(['login', 'logout', 'session', 'setup']);
    await bridge.request({ type: 'request', id: 9, method: 'site.get', params: {} });
    expect(rec.invoked).toEqual([
      ['station:request', { type: 'request', id: 9, method: 'site.get', params: {} }],
    ]);
    expect(typeof bridge.onEvent(() => {})).toBe('function');
    // Only functions cross the bridge: no ipcRenderer, no channel names, no objects with data.
    expect(
      [bridge.request, bridge.onEvent, ...Object.values(bridge.auth)].every(
        (value) => typeof value === 'function',
      ),
    ).toBe(true);
    await expect(bridge.request('site.get')).rejects.toThrow(TypeError);
    expect(rec.invoked).toHaveLength(1);
    // Only the user and password strings of the page's object cross to main.
    await bridge.auth.login({ user: 'ana', password: 'pw', extra: { secret: 1 } });
    expect(rec.invoked.at(-1)).toEqual(['station:auth', 'login', { user: 'ana', password: 'pw' }]);
    await bridge.auth.logout();
    expect(rec.invoked.at(-1)).toEqual(['station:auth', 'logout', undefined]);
  });
});
