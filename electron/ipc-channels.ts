/** The IPC channels the preload may use; main listens on nothing else. */
export const IPC_REQUEST = 'station:request';
export const IPC_EVENT = 'station:event';
/** Login, logout, first-run setup and the window's session (window-sessions.ts). */
export const IPC_AUTH = 'station:auth';

/** The app's own pages are served by the `app:` protocol handler in main, on one host. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'station';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** Whether a URL is one of the app's own pages. Parsed, not prefix-matched, so
 *  `app://station.evil/` or `app://station@evil/` do not pass. */
export function isAppUrl(url: string | undefined | null): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return (
      parsed.protocol === `${APP_SCHEME}:` &&
      parsed.host === APP_HOST &&
      parsed.username === '' &&
      parsed.password === ''
    );
  } catch {
    return false;
  }
}
