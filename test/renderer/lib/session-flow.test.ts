import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../renderer/api/api-error';
import type { AuthResult, AuthTransport, SessionState } from '../../../renderer/api/auth-transport';
import type { SessionView } from '../../../renderer/api/contract';
import { RECHECK_MS, SessionFlow, type Gate } from '../../../renderer/lib/session-flow';

const ADMIN: SessionView = {
  user: 'admin',
  role: 'admin',
  capabilities: ['view', 'steer', 'commission', 'administer'],
  expiresMs: 1,
};

/** An AuthTransport whose answers the test sets; it logs every call in order. */
class FakeAuth implements AuthTransport {
  readonly log: string[] = [];
  state: SessionState | Error = { ok: false, setupNeeded: true };
  login$: AuthResult = { ok: true, session: ADMIN };
  sessionCalls = 0;

  async session(): Promise<SessionState> {
    this.sessionCalls += 1;
    this.log.push('session');
    if (this.state instanceof Error) throw this.state;
    return this.state;
  }
  async setup(user: string): Promise<AuthResult> {
    this.log.push(`setup ${user}`);
    return this.login$;
  }
  async login(user: string): Promise<AuthResult> {
    this.log.push(`login ${user}`);
    return this.login$;
  }
  async logout(): Promise<void> {
    this.log.push('logout');
  }
  relink(): void {
    this.log.push('relink');
  }
}

function setup() {
  const auth = new FakeAuth();
  const gates: Gate[] = [];
  const flow = new SessionFlow(auth, (gate) => {
    gates.push(gate);
    auth.log.push(`gate ${gate.kind}`);
  });
  return { auth, gates, flow };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('SessionFlow', () => {
  it('asks for the first admin on a fresh station, then is in', async () => {
    const { auth, flow } = setup();
    expect(flow.gate).toEqual({ kind: 'checking' });
    await flow.check();
    expect(flow.gate).toEqual({ kind: 'setup' });
    await expect(flow.setup('admin', 'long enough pw')).resolves.toBeNull();
    expect(flow.gate).toEqual({ kind: 'in', session: ADMIN });
    // The link carries the new session before anything is shown that would use it.
    expect(auth.log.slice(-3)).toEqual(['setup admin', 'relink', 'gate in']);
  });

  it('shows the login when accounts exist, and stays there on a refusal', async () => {
    const { auth, flow } = setup();
    auth.state = { ok: false, setupNeeded: false };
    await flow.check();
    expect(flow.gate).toEqual({ kind: 'login', why: 'none' });
    auth.login$ = { ok: false, error: { code: 'auth_failed', message: 'no' } };
    await expect(flow.login('admin', 'wrong')).resolves.toEqual({
      code: 'auth_failed',
      message: 'no',
    });
    expect(flow.gate.kind).toBe('login');
    expect(auth.log).not.toContain('relink');
  });

  it('goes to the login when the admin was made elsewhere meanwhile', async () => {
    const { auth, flow } = setup();
    await flow.check();
    auth.login$ = { ok: false, error: { code: 'already_set_up', message: '' } };
    await flow.setup('admin', 'long enough pw');
    expect(flow.gate).toEqual({ kind: 'login', why: 'none' });
  });

  it('keeps asking an unreachable station', async () => {
    const { auth, flow } = setup();
    auth.state = new ApiError('disconnected', 'down');
    await flow.check();
    expect(flow.gate).toEqual({ kind: 'unreachable' });
    auth.state = { ok: true, session: ADMIN };
    await vi.advanceTimersByTimeAsync(RECHECK_MS);
    expect(flow.gate).toEqual({ kind: 'in', session: ADMIN });
  });

  it('says so, and stops asking, when the window offers no login at all', async () => {
    const { auth, flow } = setup();
    auth.state = new ApiError('unknown_method', 'no auth in the preload');
    await flow.check();
    expect(flow.gate).toEqual({ kind: 'noLogin' });
    await vi.advanceTimersByTimeAsync(RECHECK_MS * 2);
    expect(auth.sessionCalls).toBe(1);
  });

  it('sends an expired session back to the login screen, checking once for many refusals', async () => {
    const { auth, flow } = setup();
    auth.state = { ok: true, session: ADMIN };
    await flow.check();
    auth.state = { ok: false, setupNeeded: false };
    await Promise.all([flow.lost(), flow.lost(), flow.lost()]);
    expect(auth.sessionCalls).toBe(2);
    expect(flow.gate).toEqual({ kind: 'login', why: 'expired' });
    await flow.lost(); // not logged in: nothing to check
    expect(auth.sessionCalls).toBe(2);
  });

  it('relinks when the station still knows the session, but not forever', async () => {
    const { auth, flow } = setup();
    auth.state = { ok: true, session: ADMIN };
    await flow.check();
    for (let i = 0; i < 3; i += 1) await flow.lost();
    expect(auth.log.filter((l) => l === 'relink')).toHaveLength(3);
    expect(flow.gate.kind).toBe('in');
    await flow.lost();
    expect(flow.gate).toEqual({ kind: 'login', why: 'expired' });
  });

  it('logs out and relinks (the old link must not keep the session)', async () => {
    const { auth, flow } = setup();
    auth.state = { ok: true, session: ADMIN };
    await flow.check();
    await flow.logout();
    expect(auth.log.slice(-3)).toEqual(['logout', 'relink', 'gate login']);
    expect(flow.gate).toEqual({ kind: 'login', why: 'none' });
    expect(flow.session).toBeNull();
  });

  it('asks to log in again after the own password changed', async () => {
    const { auth, flow } = setup();
    auth.state = { ok: true, session: ADMIN };
    await flow.check();
    flow.passwordChanged();
    expect(flow.gate).toEqual({ kind: 'login', why: 'passwordChanged' });
  });
});
