// The Electron shell (electron/main.ts, electron/preload.ts) wired to the real station.
// MOCK: the `electron` module itself. Its binary cannot be installed on these machines
// (no download), so app, BrowserWindow, ipcMain, protocol, session and contextBridge are
// recording stand-ins; everything behind them (runtime, demo devices, SQLite) is real.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const rec = vi.hoisted(() => ({
  windows: [] as { options: any; sent: [string, any][]; loaded: string[] }[],
  handlers: new Map<string, (event: any, ...args: any[]) => any>(),
  appEvents: new Map<string, (...args: any[]) => void>(),
  schemes: [] as any[],
  protocolHandlers: new Map<string, (req: Request) => any>(),
  exposed: new Map<string, any>(),
  invoked: [] as [string, any][],
  quit: vi.fn(),
  permissionHandler: null as
    null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
}));

vi.mock('electron', () => {
  class BrowserWindow {
    record = { options: undefined as any, sent: [] as [string, any][], loaded: [] as string[] };
    webContents = {
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
    },
    BrowserWindow,
    ipcMain: { handle: (channel: string, fn: any) => rec.handlers.set(channel, fn) },
    protocol: {
      registerSchemesAsPrivileged: (schemes: any[]) => rec.schemes.push(...schemes),
      handle: (scheme: string, fn: any) => rec.protocolHandlers.set(scheme, fn),
    },
    net: { fetch: async (url: string) => new Response(url) },
    // No OS key store in this test: the ledger key stays a plain 0600 file.
    safeStorage: { isEncryptionAvailable: () => false },
    session: {
      defaultSession: { setPermissionRequestHandler: (fn: any) => (rec.permissionHandler = fn) },
    },
    contextBridge: { exposeInMainWorld: (name: string, api: any) => rec.exposed.set(name, api) },
    ipcRenderer: {
      invoke: async (channel: string, message: any) => (
        rec.invoked.push([channel, message]),
        { type: 'response', id: message.id, ok: true, value: null }
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
    expect(rec.windows[0]!.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(rec.windows[0]!.options.webPreferences.preload).toMatch(
      /out[/\\]preload[/\\]index\.cjs$/,
    );
    expect(rec.schemes).toEqual([expect.objectContaining({ scheme: 'app' })]);
    const denied = vi.fn();
    rec.permissionHandler?.({}, 'geolocation', denied);
    expect(denied).toHaveBeenCalledWith(false);
  });

  it('answers IPC requests from its own pages only, with the real station behind', async () => {
    const handle = rec.handlers.get('station:request')!;
    const own = await handle(
      { senderFrame: { url: 'app://station/index.html' } },
      { type: 'request', id: 1, method: 'site.get', params: {} },
    );
    expect(own).toMatchObject({ id: 1, ok: true, value: { id: 'riverside-coop' } });
    const bad = await handle(
      { senderFrame: { url: 'app://station/index.html' } },
      { type: 'request', id: 2, method: 'history.get', params: { point: 1 } },
    );
    expect(bad).toMatchObject({ id: 2, ok: false, error: { code: 'bad_request' } });
    const foreign = await handle(
      { senderFrame: { url: 'https://evil.example/' } },
      { type: 'request', id: 3, method: 'site.get', params: {} },
    );
    expect(foreign).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: 'sender not allowed' },
    });
    expect(
      await handle(
        { senderFrame: null },
        { type: 'request', id: 4, method: 'site.get', params: {} },
      ),
    ).toMatchObject({ ok: false });
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

  it('serves only files inside out/renderer under app://station', async () => {
    const serve = rec.protocolHandlers.get('app')!;
    expect(await (await serve(new Request('app://station/index.html'))).text()).toMatch(
      /out\/renderer\/index\.html$/,
    );
    expect((await serve(new Request('app://other/index.html'))).status).toBe(403);
  });
});

describe('Electron preload', () => {
  it('exposes one bridge with request and onEvent, nothing else', async () => {
    await import('../../electron/preload');
    expect([...rec.exposed.keys()]).toEqual(['microgridStation']);
    const bridge = rec.exposed.get('microgridStation');
    expect(Object.keys(bridge).sort()).toEqual(['onEvent', 'request']);
    await bridge.request({ type: 'request', id: 9, method: 'site.get', params: {} });
    expect(rec.invoked).toEqual([
      ['station:request', { type: 'request', id: 9, method: 'site.get', params: {} }],
    ]);
    expect(typeof bridge.onEvent(() => {})).toBe('function');
  });
});
