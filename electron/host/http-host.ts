// The headless host: the station's renderer and API over HTTP + WebSocket, on 127.0.0.1
// by default (HTTPS with a certificate when exposed on a LAN, see serve-command.ts). The
// Electron app serves the same station over IPC instead. Every API request carries its
// caller (the session cookie's user, or anonymous) to the station, which authorizes it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import type { Caller } from '../../core/api/dispatcher';
import type { Snapshot } from '../../core/points/snapshot';
import type { EventMessage, ServerMessage } from '../../core/api/station-api';
import { HTTP_HOST_CSP } from '../content-security-policy';
import { handleAuthRoute, sessionToken, type HostAuth } from './host-auth';
import { handleReadApi, sendJson } from './read-api';
import { serveStatic } from './static-files';
import { WS_PATH, createWsEndpoint } from './ws-endpoint';

/** Read routes anyone may call: monitoring, and the signed ledger head members check. */
const PUBLIC_READS = new Set(['/api/health', '/api/ledger/head']);

export interface HostedStation {
  dispatchAs(caller: Caller, raw: unknown): Promise<ServerMessage>;
  auth: HostAuth;
  onSnapshot(handler: (snapshot: Snapshot) => void): () => void;
  /** Other pushed events (site changes, scan progress). */
  onEvent?(handler: (message: EventMessage) => void): () => void;
  nowMs(): number;
  /** GET /api/ledger/head; without it the route answers 503. */
  ledgerHead?(): { height: number; hash: string; entries: number };
}

export interface HttpHostOptions {
  host: string;
  port: number;
  rendererDir: string;
  /** PEM key and certificate: serve HTTPS (and WSS) instead of HTTP. */
  tls?: { key: string; cert: string };
}

export interface HttpHost {
  readonly url: string;
  /** Origins (scheme://name:port) other PCs may open the UI at. */
  readonly origins: readonly string[];
  readonly port: number;
  close(): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    options?: { cause?: unknown },
  ) {
    super(
      `port ${port} is already in use (another station running?); choose one with --port`,
      options,
    );
    this.name = 'PortInUseError';
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': HTTP_HOST_CSP,
};

export async function startHttpHost(
  station: HostedStation,
  options: HttpHostOptions,
): Promise<HttpHost> {
  let origins: string[] = [];
  const secure = options.tls !== undefined;
  const callerOf = (req: IncomingMessage): Caller => {
    const session = station.auth.authenticate(sessionToken(req));
    return session
      ? { kind: 'user', user: session.user, role: session.role }
      : { kind: 'anonymous' };
  };
  const ws = createWsEndpoint((caller, raw) => station.dispatchAs(caller, raw), {
    allowedOrigins: () => origins,
    callerOf,
    mayReceive: (req) => station.auth.peek(sessionToken(req)) !== null,
  });
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    if (secure) res.setHeader('strict-transport-security', 'max-age=31536000');
    const url = new URL(req.url ?? '/', 'http://station.invalid');
    const handle = async (): Promise<void> => {
      if (url.pathname.startsWith('/api/')) {
        const auth = { auth: station.auth, allowedOrigins: origins, secure };
        if (await handleAuthRoute(url.pathname, req, res, auth)) return;
        const caller = PUBLIC_READS.has(url.pathname) ? null : callerOf(req);
        if (caller?.kind === 'anonymous')
          return sendJson(res, 401, {
            error: { code: 'unauthenticated', message: 'log in first (POST /api/login)' },
          });
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          res.setHeader('allow', 'GET, HEAD');
          return sendJson(res, 405, {
            error: { code: 'method_not_allowed', message: 'the HTTP API is read-only' },
          });
        }
        const ledgerHead = station.ledgerHead?.bind(station);
        return handleReadApi(
          url,
          res,
          (raw) => station.dispatchAs(caller ?? { kind: 'anonymous' }, raw),
          station.nowMs(),
          ledgerHead ? { ledgerHead } : {},
        );
      }
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendJson(res, 405, { error: { code: 'method_not_allowed', message: 'GET only' } });
      return serveStatic(options.rendererDir, req, res, url.pathname);
    };
    handle().catch(() => {
      if (!res.headersSent)
        sendJson(res, 500, { error: { code: 'internal', message: 'request failed' } });
      else res.destroy();
    });
  };
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, onRequest)
    : createServer(onRequest);
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://station.invalid').pathname;
    if (path === WS_PATH) ws.handleUpgrade(req, socket, head);
    else socket.destroy();
  });

  const port = await listen(server, options);
  // Every address (0.0.0.0): the URL this PC itself opens; others use its LAN address.
  const wildcard = options.host === '0.0.0.0' || options.host === '::';
  const hostForUrl = wildcard
    ? '127.0.0.1'
    : options.host.includes(':')
      ? `[${options.host}]`
      : options.host;
  const scheme = secure ? 'https' : 'http';
  origins = originsFor(scheme, options.host, port);
  const unsubscribe = station.onSnapshot((snapshot) =>
    ws.broadcast({ type: 'event', event: 'snapshot', data: snapshot }),
  );
  const unsubscribeEvents = station.onEvent?.((message) => ws.broadcast(message));

  return {
    url: `${scheme}://${hostForUrl}:${port}/`,
    origins,
    port,
    close: async () => {
      unsubscribe();
      unsubscribeEvents?.();
      ws.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function listen(server: Server, options: HttpHostOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE' ? new PortInUseError(options.port, { cause: error }) : error,
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * The origins pages of this host can have: the names and addresses it answers on. Only they
 * may open the WebSocket or POST to the login routes; a page on any other origin (including a
 * DNS-rebinding one that resolves to this PC) is refused.
 */
export function originsFor(scheme: string, host: string, port: number): string[] {
  const names = new Set(['localhost', '127.0.0.1', '[::1]']);
  const wildcard = host === '0.0.0.0' || host === '::';
  if (!wildcard) names.add(host.includes(':') ? `[${host}]` : host);
  if (wildcard) {
    names.add(hostname());
    names.add(`${hostname()}.local`);
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) {
        const address = a.address.split('%')[0]!;
        names.add(a.family === 'IPv6' ? `[${address}]` : address);
      }
  }
  return [...names].map((name) => `${scheme}://${name}:${port}`);
}
