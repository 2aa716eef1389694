// What the Electron shell enforces on every page, session and IPC message (Electron's
// security checklist). Type-only imports from electron: these are plain functions over the
// objects main hands them, so a test can drive them without Electron.
import type { Event, IpcMainInvokeEvent, Session, WebContents } from 'electron';
import { isAppUrl } from './ipc-channels';

/** Pages may move only within the app; no new windows, no <webview>. Middle-click
 *  (auxclick) opens nothing either: it ends in the window-open handler. */
export function hardenWebContents(contents: WebContents): void {
  const stayInApp = (event: Event, url: string): void => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', stayInApp);
  contents.on('will-frame-navigate', (event) => stayInApp(event, event.url));
  contents.on('will-redirect', stayInApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** The station needs no camera, microphone, location, notifications, clipboard reads,
 *  USB, serial or HID from the page: every request and check is refused. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** IPC is answered only for the app's own top-level page: not for another origin that got
 *  into the window, and not for a frame inside it. */
export function isOwnFrame(event: Pick<IpcMainInvokeEvent, 'senderFrame'>): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
}
