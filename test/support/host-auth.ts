// Accounts for host tests: a real AuthService over a real SQLite file (cheap scrypt cost,
// so a test does not spend seconds hashing), and a login that returns the session cookie.
import { join } from 'node:path';
import { AuthService } from '../../core/auth/auth-service';
import { UserRepository, userMigrations } from '../../core/auth/user-repository';
import { applyMigrations } from '../../core/storage/migrations';
import { openSqlite } from '../../core/storage/sqlite-adapter';
import type { HostAuth } from '../../electron/host/host-auth';

export const TEST_COST = { logN: 10, r: 8, p: 1 };
export const ADMIN = { user: 'site-admin', password: 'a long admin passphrase' };

/** With `admin: false`, a station on its first run: no account yet. */
export async function testAuth(dir: string, { admin = true } = {}): Promise<AuthService> {
  const db = openSqlite(join(dir, 'auth.db'), { synchronous: 'normal' });
  applyMigrations(db, userMigrations);
  const auth = new AuthService({
    users: new UserRepository(db),
    nowMs: () => Date.now(),
    audit: () => {},
    cost: TEST_COST,
  });
  if (!admin) return auth;
  const made = await auth.setup(ADMIN.user, ADMIN.password);
  if (!made.ok) throw new Error(made.error.message);
  return auth;
}

/** A host whose station has no accounts to log in to (every session check fails). */
export const closedAuth: HostAuth = {
  needsSetup: () => false,
  setup: async () => ({ ok: false, error: { code: 'setup_done', message: 'closed' } }),
  login: async () => ({ ok: false, error: { code: 'bad_credentials', message: 'closed' } }),
  logout: () => false,
  authenticate: () => null,
  peek: () => null,
};

/** POST /api/login; returns the Cookie header value to send with later requests. */
export async function loginCookie(
  baseUrl: string,
  credentials: { user: string; password: string } = ADMIN,
): Promise<string> {
  const res = await fetch(`${baseUrl.replace(/\/$/, '')}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie') ?? '';
  return cookie.split(';')[0]!;
}
