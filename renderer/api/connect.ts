// Picks the transport for this page: Electron's preload bridge when present, else a
// WebSocket to the host that served the page (`microgrid serve`).
import { HttpAuth, IpcAuth, isPreloadAuthBridge, type AuthTransport } from './auth-transport';
import { PRELOAD_GLOBAL } from './preload-global';
import { IpcTransport, isPreloadBridge } from './ipc-transport';
import { StationClient } from './station-client';
import { stationSocketUrl } from './socket-url';
import type { Transport } from './transport';
import { WebSocketTransport, type SocketFactory } from './websocket-transport';

const openBrowserSocket: SocketFactory = (url, events) => {
  const socket = new WebSocket(url);
  socket.onopen = () => events.open();
  socket.onmessage = (event: MessageEvent) => events.message(event.data);
  socket.onclose = () => events.close();
  // `error` is always followed by `close`; the retry logic hangs off `close` alone.
  socket.onerror = () => {};
  return {
    send: (data) => socket.send(data),
    close: () => socket.close(),
  };
};

export type TransportKind = 'ipc' | 'websocket';

export function connectToStation(): {
  client: StationClient;
  kind: TransportKind;
  auth: AuthTransport;
} {
  const bridge: unknown = Reflect.get(window, PRELOAD_GLOBAL);
  let transport: Transport;
  let kind: TransportKind;
  let auth: AuthTransport;
  if (isPreloadBridge(bridge)) {
    transport = new IpcTransport(bridge);
    kind = 'ipc';
    const authBridge: unknown = Reflect.get(bridge, 'auth');
    auth = new IpcAuth(isPreloadAuthBridge(authBridge) ? authBridge : null);
  } else {
    const ws = new WebSocketTransport(stationSocketUrl(window.location), openBrowserSocket);
    // After a network outage, try at once rather than waiting out the backoff.
    window.addEventListener('online', () => ws.retryNow());
    transport = ws;
    kind = 'websocket';
    auth = new HttpAuth(
      (url, init) => fetch(url, init),
      () => ws.reconnect(),
    );
  }
  return { client: new StationClient(transport), kind, auth };
}
