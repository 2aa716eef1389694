// Logging in, out and the first-run admin account. These are not station API methods: they
// make or end the session that every API request then runs under. In a browser they are
// HTTP routes of the headless host (the session is an HttpOnly cookie the WebSocket takes
// when it connects); in Electron they are calls on the preload bridge.
import { ApiError } from './api-error';
import type { SessionView } from './contract';
import { CAPABILITIES, isRole } from './permissions';

export type AuthErrorCode =
  /** Wrong user or password. */
  | 'auth_failed'
  /** Too many failures: wait `retryAfterS` seconds. */
  | 'locked'
  | 'weak_password'
  | 'bad_request'
  /** The admin account exists already (first-run only). */
  | 'already_set_up'
  /** The first admin may only be created on the station PC itself. */
  | 'not_local'
  /** No answer: the station is not reachable. */
  | 'disconnected'
  | 'internal';

export interface AuthError {
  code: AuthErrorCode;
  message: string;
  /** With `locked`: seconds until another try is accepted. */
  retryAfterS?: number;
}

export type AuthResult = { ok: true; session: SessionView } | { ok: false; error: AuthError };

/** Whether this browser/window is logged in; if not, whether no account exists yet. */
export type SessionState = { ok: true; session: SessionView } | { ok: false; setupNeeded: boolean };

export interface AuthTransport {
  /** Throws `ApiError('disconnected')` when the station does not answer. */
  session(): Promise<SessionState>;
  /** Creates the first admin and logs in as it. */
  setup(user: string, password: string): Promise<AuthResult>;
  login(user: string, password: string): Promise<AuthResult>;
  logout(): Promise<void>;
  /** After the session changed: the link to the station must carry the new one. */
  relink(): void;
}

const AUTH_CODES: readonly AuthErrorCode[] = [
  'auth_failed',
  'locked',
  'weak_password',
  'bad_request',
  'already_set_up',
  'not_local',
  'disconnected',
  'internal',
];

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

/** A SessionView from untrusted JSON, or null if it is not one. */
export function parseSessionView(value: unknown): SessionView | null {
  const v = record(value);
  if (!v || typeof v['user'] !== 'string' || !isRole(v['role'])) return null;
  if (typeof v['expiresMs'] !== 'number' || !Array.isArray(v['capabilities'])) return null;
  const capabilities = v['capabilities'].filter((c): c is SessionView['capabilities'][number] =>
    (CAPABILITIES as readonly unknown[]).includes(c),
  );
  return { user: v['user'], role: v['role'], capabilities, expiresMs: v['expiresMs'] };
}

function positiveSeconds(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? Math.ceil(n) : undefined;
}

/** The `{ error: { code, message } }` body of a refusal, or null. */
function errorBody(body: unknown): { code: string; message: string } | null {
  const error = record(record(body)?.['error']);
  if (!error || typeof error['code'] !== 'string') return null;
  return {
    code: error['code'],
    message: typeof error['message'] === 'string' ? error['message'] : '',
  };
}

/** An AuthResult from untrusted data (the preload bridge's answer). */
export function parseAuthResult(value: unknown): AuthResult {
  const v = record(value);
  if (v?.['ok'] === true) {
    const session = parseSessionView(v['session']);
    if (session) return { ok: true, session };
  }
  const error = errorBody(v);
  if (v?.['ok'] === false && error && (AUTH_CODES as readonly string[]).includes(error.code)) {
    const retryAfterS = positiveSeconds(record(v['error'])?.['retryAfterS'] ?? v['retryAfterS']);
    return {
      ok: false,
      error: {
        code: error.code as AuthErrorCode,
        message: error.message,
        ...(retryAfterS === undefined ? {} : { retryAfterS }),
      },
    };
  }
  return { ok: false, error: { code: 'internal', message: 'Malformed answer from the station' } };
}

/** A SessionState from untrusted data (the preload bridge's answer). */
export function parseSessionState(value: unknown): SessionState {
  const v = record(value);
  if (v?.['ok'] === true) {
    const session = parseSessionView(v['session']);
    if (session) return { ok: true, session };
  } else if (v?.['ok'] === false) {
    return { ok: false, setupNeeded: v['setupNeeded'] === true };
  }
  throw new ApiError('internal', 'Malformed session answer from the station');
}

/** What the browser's fetch is to HttpAuth; tests pass a fake. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** The headless host's routes: GET /api/session, POST /api/setup|login|logout. */
export class HttpAuth implements AuthTransport {
  readonly #fetch: FetchLike;
  readonly #relink: () => void;

  constructor(fetchFn: FetchLike, relink: () => void) {
    this.#fetch = fetchFn;
    this.#relink = relink;
  }

  async session(): Promise<SessionState> {
    const { status, body } = await this.#call('GET', '/api/session');
    if (status === 200) {
      const session = parseSessionView(body);
      if (session) return { ok: true, session };
    }
    if (status === 401) return { ok: false, setupNeeded: record(body)?.['setupNeeded'] === true };
    throw new ApiError('internal', `GET /api/session answered ${status}`);
  }

  setup(user: string, password: string): Promise<AuthResult> {
    return this.#enter('/api/setup', user, password);
  }

  login(user: string, password: string): Promise<AuthResult> {
    return this.#enter('/api/login', user, password);
  }

  async logout(): Promise<void> {
    await this.#call('POST', '/api/logout', {});
  }

  relink(): void {
    this.#relink();
  }

  async #enter(path: string, user: string, password: string): Promise<AuthResult> {
    let answer: { status: number; body: unknown; retryAfter: string | null };
    try {
      answer = await this.#call('POST', path, { user, password });
    } catch (error) {
      return { ok: false, error: { code: 'disconnected', message: String(error) } };
    }
    const { status, body, retryAfter } = answer;
    const error = errorBody(body);
    const message = error?.message ?? `${path} answered ${status}`;
    if (status === 200) {
      const session = parseSessionView(body);
      if (session) return { ok: true, session };
      return { ok: false, error: { code: 'internal', message } };
    }
    if (status === 429) {
      const retryAfterS = positiveSeconds(record(body)?.['retryAfterS'] ?? retryAfter);
      return {
        ok: false,
        error: { code: 'locked', message, ...(retryAfterS === undefined ? {} : { retryAfterS }) },
      };
    }
    const byStatus: Partial<Record<number, AuthErrorCode>> = {
      401: 'auth_failed',
      403: 'not_local',
      409: 'already_set_up',
    };
    const known = byStatus[status];
    if (known) return { ok: false, error: { code: known, message } };
    if (status === 400) {
      const code = error?.code === 'weak_password' ? 'weak_password' : 'bad_request';
      return { ok: false, error: { code, message } };
    }
    return { ok: false, error: { code: 'internal', message } };
  }

  async #call(
    method: 'GET' | 'POST',
    path: string,
    json?: unknown,
  ): Promise<{ status: number; body: unknown; retryAfter: string | null }> {
    let response: Response;
    try {
      response = await this.#fetch(path, {
        method,
        credentials: 'same-origin',
        // The host refuses a POST without this type (a cross-site form cannot send it).
        ...(json === undefined
          ? {}
          : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(json) }),
      });
    } catch (error) {
      throw new ApiError('disconnected', `${method} ${path}: ${String(error)}`, { cause: error });
    }
    let body: unknown = null;
    if (response.status !== 204) body = await response.json().catch(() => null);
    return { status: response.status, body, retryAfter: response.headers.get('retry-after') };
  }
}

/** What the Electron preload exposes under `auth` next to `request` and `onEvent`. */
export interface PreloadAuthBridge {
  session(): Promise<unknown>;
  setup(input: { user: string; password: string }): Promise<unknown>;
  login(input: { user: string; password: string }): Promise<unknown>;
  logout(): Promise<unknown>;
}

export function isPreloadAuthBridge(value: unknown): value is PreloadAuthBridge {
  const v = record(value);
  return (
    v !== null &&
    ['session', 'setup', 'login', 'logout'].every((name) => typeof v[name] === 'function')
  );
}

/** Electron: the main process keeps the window's session; the IPC link needs no relink. */
export class IpcAuth implements AuthTransport {
  readonly #bridge: PreloadAuthBridge | null;

  constructor(bridge: PreloadAuthBridge | null) {
    this.#bridge = bridge;
  }

  async session(): Promise<SessionState> {
    return parseSessionState(await this.#use().session());
  }

  async setup(user: string, password: string): Promise<AuthResult> {
    return this.#enter(() => this.#use().setup({ user, password }));
  }

  async login(user: string, password: string): Promise<AuthResult> {
    return this.#enter(() => this.#use().login({ user, password }));
  }

  async logout(): Promise<void> {
    await this.#use().logout();
  }

  relink(): void {}

  async #enter(call: () => Promise<unknown>): Promise<AuthResult> {
    try {
      return parseAuthResult(await call());
    } catch (error) {
      return { ok: false, error: { code: 'internal', message: String(error) } };
    }
  }

  #use(): PreloadAuthBridge {
    if (!this.#bridge) throw new ApiError('unknown_method', 'The preload offers no auth.*');
    return this.#bridge;
  }
}
