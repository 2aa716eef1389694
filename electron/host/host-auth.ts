// Login, logout, first-run setup and the session cookie of the headless host.
//
// The session is an HttpOnly, SameSite=Strict cookie: page scripts cannot read it and other
// sites cannot make the browser send it. State-changing routes also demand a JSON body
// (a cross-site form cannot send one without a CORS preflight the host never grants) and,
// when the browser says where the request comes from (Origin, Sec-Fetch-Site), that it is
// this host. First-run setup is accepted only from the PC itself: on a LAN, whoever came
// first could otherwise make themselves admin.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { capabilitiesOf, type SessionView } from '../../core/api/auth-roles';
import type { AuthProblem, LoginOk } from '../../core/auth/auth-service';
import type { Session } from '../../core/auth/sessions';
import type { Result } from '../../core/result';
import { sendJson } from './read-api';

/** What the host needs of the station's AuthService. */
export interface HostAuth {
  needsSetup(): boolean;
  setup(name: string, password: string): Promise<Result<LoginOk, AuthProblem>>;
  login(name: string, password: string, client: string): Promise<Result<LoginOk, AuthProblem>>;
  logout(token: string): boolean;
  /** The live session of a token, sliding its idle time; null if none. */
  authenticate(token: string | null): Session | null;
  /** The same without sliding the idle time. */
  peek(token: string | null): Session | null;
}

export const SESSION_COOKIE = 'mg_session';
const MAX_BODY_BYTES = 4096;

/** `{ user, password }` of a login or first-run setup, over HTTP and over IPC. */
export const credentialsSchema = z.strictObject({
  user: z.string().min(1).max(64),
  password: z.string().max(2048),
});

export function sessionView(session: Session): SessionView {
  return {
    user: session.user,
    role: session.role,
    capabilities: capabilitiesOf(session.role),
    expiresMs: session.expiresMs,
  };
}

/** The session token from the Cookie header, if any. */
export function sessionToken(req: IncomingMessage): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : null;
    }
  }
  return null;
}

export function isLoopback(address: string | undefined): boolean {
  return (
    address === '127.0.0.1' ||
    address === '::1' ||
    address === '::ffff:127.0.0.1' ||
    (address?.startsWith('127.') ?? false)
  );
}

/**
 * A cross-site request the browser identified as such: refused. Non-browser clients send
 * neither header and are judged by their session alone.
 */
export function crossSite(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins.includes(origin)) return true;
  const site = req.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

export interface AuthRouteContext {
  auth: HostAuth;
  allowedOrigins: readonly string[];
  /** Secure cookies when served over TLS. */
  secure: boolean;
}

/**
 * Handles /api/session, /api/login, /api/logout and /api/setup; returns false for any
 * other path (the caller goes on routing).
 */
export async function handleAuthRoute(
  path: string,
  req: IncomingMessage,
  res: ServerResponse,
  ctx: AuthRouteContext,
): Promise<boolean> {
  if (path === '/api/session') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return (methodNotAllowed(res, 'GET'), true);
    const session = ctx.auth.authenticate(sessionToken(req));
    if (session) sendJson(res, 200, sessionView(session));
    else
      sendJson(res, 401, {
        error: { code: 'unauthenticated', message: 'not logged in' },
        setupNeeded: ctx.auth.needsSetup(),
      });
    return true;
  }
  if (path !== '/api/login' && path !== '/api/logout' && path !== '/api/setup') return false;
  if (req.method !== 'POST') return (methodNotAllowed(res, 'POST'), true);
  if (crossSite(req, ctx.allowedOrigins)) {
    sendJson(res, 403, { error: { code: 'forbidden', message: 'cross-site request refused' } });
    return true;
  }
  if (path === '/api/logout') {
    const token = sessionToken(req);
    if (token) ctx.auth.logout(token);
    res.setHeader('set-cookie', cookie('', 0, ctx.secure));
    res.writeHead(204, { 'cache-control': 'no-store' }).end();
    return true;
  }
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    sendJson(res, 415, {
      error: { code: 'bad_request', message: 'send the credentials as application/json' },
    });
    return true;
  }
  const body = await readJson(req);
  const credentials = credentialsSchema.safeParse(body);
  if (!credentials.success) {
    sendJson(res, 400, {
      error: { code: 'bad_request', message: 'expected {"user": "...", "password": "..."}' },
    });
    return true;
  }
  const { user, password } = credentials.data;
  if (path === '/api/setup') {
    if (!isLoopback(req.socket.remoteAddress)) {
      sendJson(res, 403, {
        error: {
          code: 'forbidden',
          message: 'the first admin account is created on the station PC itself',
        },
      });
      return true;
    }
    const made = await ctx.auth.setup(user, password);
    if (!made.ok) {
      const status = made.error.code === 'setup_done' ? 409 : 400;
      const code = made.error.code === 'weak_password' ? 'weak_password' : 'bad_request';
      sendJson(res, status, { error: { code, message: made.error.message } });
      return true;
    }
    return (loggedIn(res, made.value, ctx.secure), true);
  }
  const login = await ctx.auth.login(user, password, req.socket.remoteAddress ?? 'unknown');
  if (login.ok) return (loggedIn(res, login.value, ctx.secure), true);
  if (login.error.code === 'locked') {
    res.setHeader('retry-after', String(login.error.retryAfterS));
    sendJson(res, 429, {
      error: { code: 'auth_failed', message: login.error.message },
      retryAfterS: login.error.retryAfterS,
    });
    return true;
  }
  sendJson(res, 401, { error: { code: 'auth_failed', message: login.error.message } });
  return true;
}

function loggedIn(res: ServerResponse, login: LoginOk, secure: boolean): void {
  const maxAgeS = Math.max(
    0,
    Math.floor((login.session.expiresMs - login.session.createdMs) / 1000),
  );
  res.setHeader('set-cookie', cookie(login.token, maxAgeS, secure));
  sendJson(res, 200, sessionView(login.session));
}

function cookie(value: string, maxAgeS: number, secure: boolean): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeS}`,
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('allow', allow);
  sendJson(res, 405, { error: { code: 'method_not_allowed', message: `${allow} only` } });
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
