// The read-only HTTP API for scripts and monitoring: plain GETs that answer JSON.
//   GET /api/health
//   GET /api/site
//   GET /api/snapshot
//   GET /api/profiles
//   GET /api/history?point=site.pvW&from=<ms or ISO 8601>&to=…&resolution=auto|raw|1m&maxPoints=N
//   GET /api/ledger/head → { height, hash, entries } (from ReadApiExtras.ledgerHead)
import type { ServerResponse } from 'node:http';
import type { RequestHandlers } from '../../core/api/dispatcher';
import type { ServerMessage } from '../../core/api/station-api';

type Dispatch = (raw: unknown) => Promise<ServerMessage>;

/** Reads the API serves straight from the station, not through the dispatcher. */
export interface ReadApiExtras {
  /** The ledger's last block and acknowledged entries (core/ledger LedgerHead). */
  ledgerHead?: () => { height: number; hash: string; entries: number };
}

const ROUTES: Record<string, keyof RequestHandlers> = {
  '/api/health': 'station.health',
  '/api/site': 'site.get',
  '/api/snapshot': 'snapshot.get',
  '/api/profiles': 'profiles.list',
  '/api/history': 'history.get',
};

const STATUS: Record<string, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  unknown_method: 404,
  not_found: 404,
  unavailable: 503,
  internal: 500,
};

export async function handleReadApi(
  url: URL,
  res: ServerResponse,
  dispatch: Dispatch,
  nowMs: number,
  extras: ReadApiExtras = {},
): Promise<void> {
  if (url.pathname === '/api/ledger/head') {
    if (!extras.ledgerHead)
      return sendJson(res, 503, {
        error: { code: 'unavailable', message: 'this station keeps no ledger' },
      });
    return sendJson(res, 200, extras.ledgerHead());
  }
  const method = ROUTES[url.pathname];
  if (!method)
    return sendJson(res, 404, {
      error: { code: 'not_found', message: `no API route ${url.pathname}` },
    });
  const params = method === 'history.get' ? historyParams(url.searchParams, nowMs) : {};
  if ('error' in params)
    return sendJson(res, 400, { error: { code: 'bad_request', message: params.error } });
  const reply = await dispatch({ type: 'request', id: 0, method, params });
  if (reply.type !== 'response')
    return sendJson(res, 500, { error: { code: 'internal', message: 'no response' } });
  if (reply.ok) return sendJson(res, 200, reply.value);
  return sendJson(res, STATUS[reply.error.code] ?? 500, { error: reply.error });
}

function historyParams(
  q: URLSearchParams,
  nowMs: number,
): Record<string, unknown> | { error: string } {
  const point = q.get('point');
  if (!point) return { error: 'point is required, e.g. ?point=site.pvW' };
  const toMs = q.has('to') ? parseTime(q.get('to') ?? '') : nowMs;
  const fromMs = q.has('from') ? parseTime(q.get('from') ?? '') : (toMs ?? nowMs) - 3600_000;
  if (toMs === null) return { error: 'to must be epoch milliseconds or an ISO 8601 time' };
  if (fromMs === null) return { error: 'from must be epoch milliseconds or an ISO 8601 time' };
  const params: Record<string, unknown> = { point, fromMs, toMs };
  const resolution = q.get('resolution');
  if (resolution !== null) params.resolution = resolution;
  const maxPoints = q.get('maxPoints');
  if (maxPoints !== null) params.maxPoints = Number(maxPoints);
  return params;
}

function parseTime(text: string): number | null {
  if (/^\d{1,16}$/.test(text)) return Number(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(text);
}
