// The WebSocket side of the API at /api/ws: requests in, responses and pushed events out.
// Only pages served by this host may connect (Origin check), so a web page the operator
// happens to open elsewhere cannot talk to the station through their browser. The session
// cookie of the upgrade request is checked again for every message, so a logout or an
// expired session takes effect at once; without a live session every request is answered
// `unauthenticated` and no events are pushed.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Caller } from '../../core/api/dispatcher';
import type { ServerMessage } from '../../core/api/station-api';

export const WS_PATH = '/api/ws';
const MAX_MESSAGE_BYTES = 64 * 1024;
/** A client this far behind misses pushed events instead of growing the host's memory. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface WsEndpoint {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  broadcast(message: ServerMessage): void;
  clientCount(): number;
  close(): void;
}

export interface WsAccess {
  allowedOrigins(): readonly string[];
  /** Who the upgrade request's session stands for now (re-checked per message). */
  callerOf(req: IncomingMessage): Caller;
  /** Whether the session may receive pushed events now (does not count as activity). */
  mayReceive(req: IncomingMessage): boolean;
}

export function createWsEndpoint(
  dispatch: (caller: Caller, raw: unknown) => Promise<ServerMessage>,
  access: WsAccess,
): WsEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const requests = new WeakMap<WebSocket, IncomingMessage>();

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    requests.set(ws, req);
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let parsed: unknown;
        try {
          parsed = isBinary ? undefined : JSON.parse(data.toString());
        } catch {
          parsed = undefined;
        }
        const reply = await dispatch(access.callerOf(req), parsed ?? { malformed: true });
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      })();
    });
    ws.on('error', () => ws.terminate());
  });

  return {
    handleUpgrade(req, socket, head) {
      const origin = req.headers.origin;
      if (origin !== undefined && !access.allowedOrigins().includes(origin)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    broadcast(message) {
      const text = JSON.stringify(message);
      for (const client of wss.clients) {
        const req = requests.get(client);
        if (
          client.readyState === client.OPEN &&
          client.bufferedAmount < MAX_BUFFERED_BYTES &&
          req &&
          access.mayReceive(req)
        )
          client.send(text);
      }
    },
    clientCount: () => wss.clients.size,
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
