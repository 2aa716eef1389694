// The WebSocket side of the API at /api/ws: requests in, responses and pushed events out.
// Only pages served by this host may connect (Origin check), so a web page the operator
// happens to open elsewhere cannot talk to the station through their browser.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
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

export function createWsEndpoint(
  dispatch: (raw: unknown) => Promise<ServerMessage>,
  allowedOrigins: () => readonly string[],
): WsEndpoint {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let parsed: unknown;
        try {
          parsed = isBinary ? undefined : JSON.parse(data.toString());
        } catch {
          parsed = undefined;
        }
        const reply = await dispatch(parsed ?? { malformed: true });
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(reply));
      })();
    });
    ws.on('error', () => ws.terminate());
  });

  return {
    handleUpgrade(req, socket, head) {
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins().includes(origin)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    },
    broadcast(message) {
      const text = JSON.stringify(message);
      for (const client of wss.clients) {
        if (client.readyState === client.OPEN && client.bufferedAmount < MAX_BUFFERED_BYTES)
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
