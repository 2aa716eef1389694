// Login per window of the desktop app. Electron IPC has no cookies: main keeps each window's
// session token itself (keyed by its webContents id), so the page never sees a token and a
// request can only run as the user who logged in in that window. Closing the window logs
// out. Kept free of `electron` so it is tested without it.
import type { SessionView } from '../core/api/auth-roles';
import type { Caller } from '../core/api/dispatcher';
import type { AuthProblem } from '../core/auth/auth-service';
import type { HostAuth } from './host/host-auth';
import { credentialsSchema, sessionView } from './host/host-auth';

export type AuthOp = 'session' | 'setup' | 'login' | 'logout';

export type AuthReplyCode =
  'auth_failed' | 'locked' | 'weak_password' | 'bad_request' | 'already_set_up' | 'internal';

export type AuthReply =
  | { ok: true; session: SessionView }
  | { ok: false; error: { code: AuthReplyCode; message: string; retryAfterS?: number } };

export type SessionReply = { ok: true; session: SessionView } | { ok: false; setupNeeded: boolean };

const CODES: Record<AuthProblem['code'], AuthReplyCode> = {
  bad_credentials: 'auth_failed',
  locked: 'locked',
  weak_password: 'weak_password',
  bad_request: 'bad_request',
  setup_done: 'already_set_up',
  user_exists: 'bad_request',
  not_found: 'auth_failed',
  last_admin: 'bad_request',
};

export class WindowSessions {
  readonly #tokens = new Map<number, string>();

  constructor(private readonly auth: HostAuth) {}

  /** Who a window's requests run as. */
  callerOf(windowId: number): Caller {
    const session = this.auth.authenticate(this.#tokens.get(windowId) ?? null);
    return session
      ? { kind: 'user', user: session.user, role: session.role }
      : { kind: 'anonymous' };
  }

  /** Whether a window may receive pushed events now (not counted as activity). */
  mayReceive(windowId: number): boolean {
    return this.auth.peek(this.#tokens.get(windowId) ?? null) !== null;
  }

  async handle(
    windowId: number,
    op: unknown,
    input: unknown,
  ): Promise<AuthReply | SessionReply | null> {
    if (op === 'session') {
      const session = this.auth.authenticate(this.#tokens.get(windowId) ?? null);
      return session
        ? { ok: true, session: sessionView(session) }
        : { ok: false, setupNeeded: this.auth.needsSetup() };
    }
    if (op === 'logout') {
      const token = this.#tokens.get(windowId);
      if (token) this.auth.logout(token);
      this.#tokens.delete(windowId);
      return null;
    }
    if (op !== 'setup' && op !== 'login')
      return { ok: false, error: { code: 'bad_request', message: 'unknown operation' } };
    const parsed = credentialsSchema.safeParse(input);
    if (!parsed.success)
      return { ok: false, error: { code: 'bad_request', message: 'expected { user, password }' } };
    const { user, password } = parsed.data;
    // The desktop app runs on the station PC itself: first-run setup is local by definition.
    const result =
      op === 'setup'
        ? await this.auth.setup(user, password)
        : await this.auth.login(user, password, `window ${windowId}`);
    if (!result.ok)
      return {
        ok: false,
        error: {
          code: CODES[result.error.code],
          message: result.error.message,
          ...('retryAfterS' in result.error ? { retryAfterS: result.error.retryAfterS } : {}),
        },
      };
    const previous = this.#tokens.get(windowId);
    if (previous) this.auth.logout(previous);
    this.#tokens.set(windowId, result.value.token);
    return { ok: true, session: sessionView(result.value.session) };
  }

  /** The window closed: its session ends. */
  forget(windowId: number): void {
    const token = this.#tokens.get(windowId);
    if (token) this.auth.logout(token);
    this.#tokens.delete(windowId);
  }
}
