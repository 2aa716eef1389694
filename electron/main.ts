// Electron main process: a thin shell around the same station the headless host runs.
// Security choices follow Electron's checklist: sandboxed, context-isolated renderer
// without Node; pages from a custom app: protocol (not file://); IPC only from our frames;
// navigation, new windows and permission requests denied.
import {
  app,
  BrowserWindow,
  ipcMain,
  protocol,
  safeStorage,
  session,
  type IpcMainInvokeEvent,
} from 'electron';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataDir } from './station/data-dir';
import { PROJECT_ROOT } from './station/project-root';
import { startRuntime } from './station/runtime';
import type { Station } from './station/station';
import { APP_ORIGIN, IPC_EVENT, IPC_REQUEST } from './ipc-channels';
import { serveAppProtocol } from './main-app-protocol';

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

const { values } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: { 'data-dir': { type: 'string' }, demo: { type: 'boolean' }, speed: { type: 'string' } },
  strict: false,
});

let station: Station | null = null;

function isOwnFrame(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(`${APP_ORIGIN}/`);
}

async function createWindow(current: Station): Promise<void> {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title: 'Microgrid Station',
    webPreferences: {
      preload: join(PROJECT_ROOT, 'out', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  const unsubscribe = current.onSnapshot((snapshot) => {
    if (!win.isDestroyed())
      win.webContents.send(IPC_EVENT, { type: 'event', event: 'snapshot', data: snapshot });
  });
  const unsubscribeEvents = current.onEvent((message) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, message);
  });
  win.on('closed', () => (unsubscribe(), unsubscribeEvents()));
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app
  .whenReady()
  .then(async () => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) =>
      callback(false),
    );
    serveAppProtocol(join(PROJECT_ROOT, 'out', 'renderer'));
    const speed = typeof values.speed === 'string' ? Number(values.speed) : undefined;
    station = await startRuntime({
      dataDir: resolveDataDir(
        typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined,
      ),
      forceDemo: values.demo === true,
      speed: speed !== undefined && Number.isFinite(speed) && speed > 0 ? speed : undefined,
      log: (line) => console.log(`[station] ${line}`),
      sqliteNativeBinding: process.env.MICROGRID_SQLITE_BINDING,
      // The ledger's signing key at rest under the OS key store where there is one.
      ledgerKeyProtection: safeStorage.isEncryptionAvailable()
        ? {
            wrap: (plain) => safeStorage.encryptString(plain.toString('base64')),
            unwrap: (wrapped) => Buffer.from(safeStorage.decryptString(wrapped), 'base64'),
          }
        : undefined,
    });
    const running = station;
    ipcMain.handle(IPC_REQUEST, (event, message: unknown) => {
      if (!isOwnFrame(event)) {
        return {
          type: 'response',
          id: -1,
          ok: false,
          error: { code: 'bad_request', message: 'sender not allowed' },
        };
      }
      return running.dispatch(message);
    });
    await createWindow(running);
  })
  .catch((error: unknown) => {
    console.error(`microgrid: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });

app.on('window-all-closed', () => {
  void (station?.stop() ?? Promise.resolve()).finally(() => app.quit());
});
