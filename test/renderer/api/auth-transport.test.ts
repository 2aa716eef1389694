import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../renderer/api/api-error';
import {
  HttpAuth,
  IpcAuth,
  parseAuthResult,
  type FetchLike,
} from '../../../renderer/api/auth-transport';

const SESSION = {
  user: 'amina',
  role: 'operator',
  capabilities: ['view', 'steer'],
  expiresMs: 1_800_000,
};

interface Call {
  url: string;
  init: RequestInit;
}

/** A fetch that answers from a table by "METHOD path" and records every call. */
function fakeFetch(
  answers: Record<string, { status: number; body?: unknown; headers?: Record<string, string> }>,
) {
  const calls: Call[] = [];
  const fetchFn: FetchLike = async (url, init) => {
    calls.push({ url, init });
    const answer = answers[`${init.method} ${url}`];
    if (!answer) throw new TypeError('Failed to fetch');
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: answer.headers,
    });
  };
  let relinks = 0;
  const auth = new HttpAuth(fetchFn, () => (relinks += 1));
  return { auth, calls, relinks: () => relinks };
}

const refusal = (code: string, message = code) => ({ error: { code, message } });

describe('HttpAuth', () => {
  it('reads the session, or whether the first admin is still to be made', async () => {
    const signedIn = fakeFetch({ 'GET /api/session': { status: 200, body: SESSION } });
    await expect(signedIn.auth.session()).resolves.toEqual({ ok: true, session: SESSION });
    expect(signedIn.calls[0]?.init.credentials).toBe('same-origin');

    const fresh = fakeFetch({
      'GET /api/session': {
        status: 401,
        body: { ...refusal('unauthenticated'), setupNeeded: true },
      },
    });
    await expect(fresh.auth.session()).resolves.toEqual({ ok: false, setupNeeded: true });

    const out = fakeFetch({
      'GET /api/session': { status: 401, body: refusal('unauthenticated') },
    });
    await expect(out.auth.session()).resolves.toEqual({ ok: false, setupNeeded: false });
  });

  it('throws `disconnected` when the station does not answer', async () => {
    const { auth } = fakeFetch({});
    const error = await auth.session().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('disconnected');
  });

  it('logs in with a JSON POST (the CSRF defence) and returns the session', async () => {
    const { auth, calls } = fakeFetch({ 'POST /api/login': { status: 200, body: SESSION } });
    await expect(auth.login('amina', 'correct horse')).resolves.toEqual({
      ok: true,
      session: SESSION,
    });
    const { init } = calls[0]!;
    expect(init.headers).toEqual({ 'content-type': 'application/json' });
    expect(init.credentials).toBe('same-origin');
    expect(JSON.parse(String(init.body))).toEqual({ user: 'amina', password: 'correct horse' });
  });

  it('tells a wrong password from a lock-out, with the wait from the body or Retry-After', async () => {
    const wrong = fakeFetch({
      'POST /api/login': { status: 401, body: refusal('auth_failed', 'wrong user or password') },
    });
    await expect(wrong.auth.login('a', 'b')).resolves.toEqual({
      ok: false,
      error: { code: 'auth_failed', message: 'wrong user or password' },
    });

    const locked = fakeFetch({
      'POST /api/login': {
        status: 429,
        body: { ...refusal('auth_failed', 'too many'), retryAfterS: 42 },
        headers: { 'retry-after': '40' },
      },
    });
    await expect(locked.auth.login('a', 'b')).resolves.toMatchObject({
      ok: false,
      error: { code: 'locked', retryAfterS: 42 },
    });

    const headerOnly = fakeFetch({
      'POST /api/login': {
        status: 429,
        body: refusal('auth_failed'),
        headers: { 'retry-after': '7' },
      },
    });
    await expect(headerOnly.auth.login('a', 'b')).resolves.toMatchObject({
      error: { code: 'locked', retryAfterS: 7 },
    });
  });

  it('names each refusal of the first-run setup', async () => {
    const cases: [number, unknown, string][] = [
      [400, refusal('weak_password'), 'weak_password'],
      [400, refusal('bad_request', 'user: invalid name'), 'bad_request'],
      [403, refusal('forbidden'), 'not_local'],
      [409, refusal('conflict'), 'already_set_up'],
      [415, null, 'internal'],
    ];
    for (const [status, body, code] of cases) {
      const { auth } = fakeFetch({ 'POST /api/setup': { status, body } });
      const result = await auth.setup('admin', 'long enough password');
      expect(result.ok ? null : result.error.code, String(status)).toBe(code);
    }
    const ok = fakeFetch({
      'POST /api/setup': { status: 200, body: { ...SESSION, role: 'admin' } },
    });
    await expect(ok.auth.setup('admin', 'long enough password')).resolves.toMatchObject({
      ok: true,
      session: { role: 'admin' },
    });
  });

  it('answers an unreachable station on login with `disconnected`, not a throw', async () => {
    const { auth } = fakeFetch({});
    await expect(auth.login('a', 'b')).resolves.toMatchObject({
      ok: false,
      error: { code: 'disconnected' },
    });
  });

  it('logs out with a JSON POST and relinks only when asked', async () => {
    const { auth, calls, relinks } = fakeFetch({ 'POST /api/logout': { status: 204 } });
    await auth.logout();
    expect(calls[0]?.init.method).toBe('POST');
    expect(calls[0]?.init.headers).toEqual({ 'content-type': 'application/json' });
    expect(relinks()).toBe(0);
    auth.relink();
    expect(relinks()).toBe(1);
  });

  it('does not take a malformed session for one', async () => {
    const { auth } = fakeFetch({
      'GET /api/session': { status: 200, body: { ...SESSION, role: 'root' } },
    });
    await expect(auth.session()).rejects.toBeInstanceOf(ApiError);
  });
});

describe('IpcAuth', () => {
  it('passes the preload answers through the same checks', async () => {
    const auth = new IpcAuth({
      session: async () => ({ ok: false, setupNeeded: true }),
      setup: async () => ({ ok: true, session: SESSION }),
      login: async () => ({
        ok: false,
        error: { code: 'locked', message: 'wait', retryAfterS: 12 },
      }),
      logout: async () => undefined,
    });
    await expect(auth.session()).resolves.toEqual({ ok: false, setupNeeded: true });
    await expect(auth.setup('admin', 'x')).resolves.toEqual({ ok: true, session: SESSION });
    await expect(auth.login('a', 'b')).resolves.toEqual({
      ok: false,
      error: { code: 'locked', message: 'wait', retryAfterS: 12 },
    });
  });

  it('reports a window whose preload offers no login', async () => {
    const auth = new IpcAuth(null);
    await expect(auth.session()).rejects.toMatchObject({ code: 'unknown_method' });
    await expect(auth.login('a', 'b')).resolves.toMatchObject({ ok: false });
  });

  it('takes nothing malformed for a session', () => {
    expect(parseAuthResult({ ok: true, session: { user: 'x' } })).toMatchObject({ ok: false });
    expect(parseAuthResult({ ok: false, error: { code: 'root', message: '' } })).toMatchObject({
      error: { code: 'internal' },
    });
    expect(parseAuthResult('yes')).toMatchObject({ ok: false });
  });
});
