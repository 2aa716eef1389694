// Electron main process: a thin shell around the same station the headless host runs.
// Security choices follow Electron's checklist (see main-security.ts): sandboxed,
// context-isolated renderer without Node; pages from a custom app: protocol (not file://)
// with a strict CSP; IPC only from the app's own page; navigation, new windows, webviews
// and permission requests denied. Packaged builds also get fuses (scripts/electron-fuses.ts).
import { app, BrowserWindow, ipcMain, safeStorage, session } from 'electron';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveDataDir } from './station/data-dir';
import { PROJECT_ROOT } from './station/project-root';
import { startRuntime } from './station/runtime';
import type { Station } from './station/station';
import { APP_ORIGIN, IPC_AUTH, IPC_EVENT, IPC_REQUEST } from './ipc-channels';
import { WindowSessions } from './window-sessions';
import { registerAppScheme, serveAppProtocol } from './main-app-protocol';
import { hardenSession, hardenWebContents, isOwnFrame } from './main-security';

// Both before `ready`: every renderer sandboxed (also any the app did not create itself),
// and app: known as a standard, secure scheme.
app.enableSandbox();
registerAppScheme();

const { values } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: { 'data-dir': { type: 'string' }, demo: { type: 'boolean' }, speed: { type: 'string' } },
  strict: false,
});

let station: Station | null = null;

const SENDER_REFUSED = {
  type: 'response',
  id: -1,
  ok: false,
  error: { code: 'bad_request', message: 'sender not allowed' },
} as const;

async function createWindow(current: Station, logins: WindowSessions): Promise<void> {
  const win = new BrowserWindow({
    width: 1366,
    height: 768,
    minWidth: 1024,
    minHeight: 640,
    title: 'Microgrid Station',
    // Written out in full, Electron's defaults included, so that Electronegativity (which
    // reads this literal) and a reader see every choice; a test checks them exactly.
    webPreferences: {
      preload: join(PROJECT_ROOT, 'out', 'preload', 'index.cjs'),
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
      // Chromium's spellchecker downloads dictionaries: the site PC is often offline, and
      // nothing downloads behind the operator's back.
      spellcheck: false,
      safeDialogs: true,
      // A packaged station is run by operators, not developers.
      devTools: !app.isPackaged,
    },
  });
  // Pushed events go only to a window with a live session, like the WebSocket host's.
  const windowId = win.webContents.id;
  const send = (message: unknown): void => {
    if (!win.isDestroyed() && logins.mayReceive(windowId)) win.webContents.send(IPC_EVENT, message);
  };
  const unsubscribe = current.onSnapshot((snapshot) =>
    send({ type: 'event', event: 'snapshot', data: snapshot }),
  );
  const unsubscribeEvents = current.onEvent(send);
  win.on('closed', () => (unsubscribe(), unsubscribeEvents(), logins.forget(windowId)));
  await win.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

app
  .whenReady()
  .then(async () => {
    hardenSession(session.defaultSession);
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
    const logins = new WindowSessions(running.auth);
    // The station's dispatcher authorizes and validates every message; this layer first
    // refuses any sender that is not the app's own page, and names the window's user.
    ipcMain.handle(IPC_REQUEST, (event, message: unknown) =>
      isOwnFrame(event)
        ? running.dispatchAs(logins.callerOf(event.sender.id), message)
        : SENDER_REFUSED,
    );
    ipcMain.handle(IPC_AUTH, (event, op: unknown, input: unknown) =>
      isOwnFrame(event) ? logins.handle(event.sender.id, op, input) : SENDER_REFUSED,
    );
    await createWindow(running, logins);
  })
  .catch((error: unknown) => {
    console.error(`microgrid: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });

app.on('window-all-closed', () => {
  void (station?.stop() ?? Promise.resolve()).finally(() => app.quit());
});
