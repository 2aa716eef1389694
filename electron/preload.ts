// The only bridge between the sandboxed renderer and the station: one request function, one
// event subscription and the window's login, exposed under one name. No ipcRenderer, no Node, no channels
// chosen by the page, and the IPC event object (which would reach `sender`) never leaves
// this file. Main validates every message again: this side only refuses the obviously wrong.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  PRELOAD_GLOBAL,
  type ClientMessage,
  type PreloadBridge,
  type ServerMessage,
} from '../core/api/station-api';
import { IPC_AUTH, IPC_EVENT, IPC_REQUEST } from './ipc-channels';

const bridge: PreloadBridge = {
  request(message: ClientMessage) {
    if (typeof message !== 'object' || message === null)
      return Promise.reject(new TypeError('a station request is an object'));
    return ipcRenderer.invoke(IPC_REQUEST, message) as Promise<ServerMessage>;
  },
  onEvent(handler) {
    if (typeof handler !== 'function') throw new TypeError('onEvent needs a function');
    const listener = (_event: IpcRendererEvent, message: ServerMessage): void => handler(message);
    ipcRenderer.on(IPC_EVENT, listener);
    return () => void ipcRenderer.off(IPC_EVENT, listener);
  },
  auth: {
    session: () => ipcRenderer.invoke(IPC_AUTH, 'session'),
    setup: (input) => ipcRenderer.invoke(IPC_AUTH, 'setup', credentials(input)),
    login: (input) => ipcRenderer.invoke(IPC_AUTH, 'login', credentials(input)),
    logout: () => ipcRenderer.invoke(IPC_AUTH, 'logout'),
  },
};

/** Only the two strings cross; anything else on the object stays in the page. */
function credentials(input: { user: string; password: string }): {
  user: string;
  password: string;
} {
  if (typeof input !== 'object' || input === null) throw new TypeError('credentials are an object');
  return { user: String(input.user), password: String(input.password) };
}

contextBridge.exposeInMainWorld(PRELOAD_GLOBAL, bridge);
