/** The two IPC channels the preload may use; main listens on nothing else. */
export const IPC_REQUEST = 'station:request';
export const IPC_EVENT = 'station:event';
/** Origin of the app's own pages, served by the `app:` protocol handler in main. */
export const APP_ORIGIN = 'app://station';
