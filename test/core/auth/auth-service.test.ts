// Accounts and logins over a real SQLite file: first-run setup, login with back-off, the
// last admin kept, sessions ended when an account changes, and every step audited.
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { AuthService, type AuthEvent } from '../../../core/auth/auth-service';
import { UserRepository, userMigrations } from '../../../core/auth/user-repository';
import { applyMigrations } from '../../../core/storage/migrations';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs('mg-auth-');
const CHEAP = { logN: 10, r: 8, p: 1 };
const ADMIN = { user: 'root-admin', role: 'admin' as const };
let nowMs = 1_000_000;
let events: AuthEvent[];
let auth: AuthService;
let path: string;

function open(): AuthService {
  const db = openSqlite(path, { synchronous: 'full' });
  applyMigrations(db, userMigrations);
  return new AuthService({
    users: new UserRepository(db),
    nowMs: () => nowMs,
    audit: (e) => events.push(e),
    cost: CHEAP,
  });
}

beforeEach(() => {
  events = [];
  path = join(tempDir(), 'station.db');
  auth = open();
});

describe('auth service', () => {
  it('asks for the first admin once; the account survives a restart', async () => {
    expect(auth.needsSetup()).toBe(true);
    const first = await auth.setup('ana', 'a long passphrase');
    expect(first.ok && first.value.session).toMatchObject({ user: 'ana', role: 'admin' });
    expect(auth.needsSetup()).toBe(false);
    const again = await auth.setup('mallory', 'a long passphrase');
    expect(again.ok ? null : again.error.code).toBe('setup_done');
    const reopened = open();
    expect(reopened.needsSetup()).toBe(false);
    expect(reopened.list().map((u) => [u.name, u.role])).toEqual([['ana', 'admin']]);
    expect((await reopened.login('ANA', 'a long passphrase', 'test')).ok).toBe(true);
  });

  it('refuses bad names, roles, weak passwords and taken names, adding nothing', async () => {
    await auth.setup('ana', 'a long passphrase');
    const codes = await Promise.all([
      auth.add(ADMIN, '', 'viewer', 'a long passphrase'),
      auth.add(ADMIN, 'bad name', 'viewer', 'a long passphrase'),
      auth.add(ADMIN, 'ben', 'root' as never, 'a long passphrase'),
      auth.add(ADMIN, 'ben', 'viewer', 'short'),
      auth.add(ADMIN, 'Ana', 'viewer', 'a long passphrase'),
    ]);
    expect(codes.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'bad_request',
      'bad_request',
      'bad_request',
      'weak_password',
      'user_exists',
    ]);
    expect(auth.list()).toHaveLength(1);
  });

  it('logs in, authenticates the token, logs out; a wrong password or user is the same answer', async () => {
    await auth.setup('ana', 'a long passphrase');
    await auth.add(ADMIN, 'ben', 'operator', 'another passphrase');
    const login = await auth.login('ben', 'another passphrase', '127.0.0.1');
    if (!login.ok) throw new Error(login.error.message);
    expect(auth.authenticate(login.value.token)).toMatchObject({ user: 'ben', role: 'operator' });
    expect(auth.authenticate('nonsense')).toBeNull();
    expect(auth.logout(login.value.token)).toBe(true);
    expect(auth.authenticate(login.value.token)).toBeNull();
    const wrongPassword = await auth.login('ben', 'not the passphrase', '127.0.0.1');
    const noUser = await auth.login('nobody', 'not the passphrase', '127.0.0.2');
    expect(wrongPassword.ok || wrongPassword.error).toEqual(noUser.ok || noUser.error);
    const kinds = events.map((e) => `${e.event}:${e.actor}:${e.role ?? '-'}:${e.result}`);
    expect(kinds).toContain('login:ben:operator:ok');
    expect(kinds).toContain('logout:ben:operator:ok');
    expect(kinds).toContain('login-failed:ben:operator:refused');
    expect(kinds).toContain('login-failed:nobody:-:refused');
    expect(kinds).toContain('user-added:root-admin:admin:ok');
  });

  it('locks an account after 5 failures without checking the password, and lets it in after the wait', async () => {
    await auth.setup('ana', 'a long passphrase');
    for (let i = 0; i < 6; i++) await auth.login('ana', 'guess number ' + i, `10.0.0.${i}`);
    const locked = await auth.login('ana', 'a long passphrase', '10.0.0.99');
    expect(locked.ok ? null : locked.error).toMatchObject({ code: 'locked', retryAfterS: 30 });
    nowMs += 30_000;
    expect((await auth.login('ana', 'a long passphrase', '10.0.0.99')).ok).toBe(true);
    expect(events.filter((e) => e.event === 'login-failed')).toHaveLength(7);
  });

  it('keeps the last admin, ends sessions when a role or password changes, removes accounts', async () => {
    await auth.setup('ana', 'a long passphrase');
    expect(auth.setRole(ADMIN, 'ana', 'viewer')).toMatchObject({
      ok: false,
      error: { code: 'last_admin' },
    });
    expect(auth.remove(ADMIN, 'ana')).toMatchObject({ ok: false, error: { code: 'last_admin' } });
    await auth.add(ADMIN, 'ben', 'technician', 'another passphrase');
    const ben = await auth.login('ben', 'another passphrase', 'x');
    if (!ben.ok) throw new Error('login');
    expect(auth.setRole(ADMIN, 'ben', 'operator').ok).toBe(true);
    expect(auth.authenticate(ben.value.token)).toBeNull(); // logged out: new role, new login
    const again = await auth.login('ben', 'another passphrase', 'x');
    if (!again.ok) throw new Error('login');
    expect(auth.authenticate(again.value.token)?.role).toBe('operator');
    expect((await auth.setPassword(ADMIN, 'ben', 'a third passphrase')).ok).toBe(true);
    expect(auth.authenticate(again.value.token)).toBeNull();
    expect((await auth.login('ben', 'another passphrase', 'x')).ok).toBe(false);
    expect((await auth.login('ben', 'a third passphrase', 'x')).ok).toBe(true);
    expect(auth.remove(ADMIN, 'ben').ok).toBe(true);
    expect(auth.list().map((u) => u.name)).toEqual(['ana']);
    expect(auth.remove(ADMIN, 'ben')).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
