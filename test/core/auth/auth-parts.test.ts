// The parts of login: scrypt hashes, sessions that expire, and the back-off after failures.
import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../../../core/auth/login-throttle';
import { checkNewPassword, hashPassword, verifyPassword } from '../../../core/auth/password-hash';
import { capabilitiesOf, may, ROLES } from '../../../core/auth/roles';
import { SessionStore } from '../../../core/auth/sessions';

const CHEAP = { logN: 10, r: 8, p: 1 };

describe('password hashes', () => {
  it('verifies the right password only, with salt and cost in the stored string', async () => {
    const a = await hashPassword('correct horse battery', CHEAP);
    const b = await hashPassword('correct horse battery', CHEAP);
    expect(a).toMatch(/^scrypt\$10\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b); // salted
    expect(a).not.toContain('horse');
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterY', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('refuses a tampered or foreign stored hash instead of throwing', async () => {
    const good = await hashPassword('correct horse battery', CHEAP);
    const parts = good.split('$');
    expect(await verifyPassword('correct horse battery', 'bcrypt$x')).toBe(false);
    expect(
      await verifyPassword('correct horse battery', [...parts.slice(0, 5), 'AAAA'].join('$')),
    ).toBe(false);
    expect(
      await verifyPassword('correct horse battery', ['scrypt', '99', ...parts.slice(2)].join('$')),
    ).toBe(false);
    expect(
      await verifyPassword('correct horse battery', ['scrypt', '11', ...parts.slice(2)].join('$')),
    ).toBe(false);
  });

  it('uses the default cost (2^15) when none is given', async () => {
    expect(await hashPassword('correct horse battery')).toMatch(/^scrypt\$15\$8\$1\$/);
  });

  it('asks for at least 10 characters and at most 1024 bytes', () => {
    expect(checkNewPassword('short').ok).toBe(false);
    expect(checkNewPassword('          ').ok).toBe(false);
    expect(checkNewPassword('x'.repeat(1025)).ok).toBe(false);
    expect(checkNewPassword('ten chars!').ok).toBe(true);
  });
});

describe('roles', () => {
  it('grants view to all, steering to operators, commissioning to technicians, everything to admins', () => {
    expect(ROLES.every((r) => may(r, 'view'))).toBe(true);
    expect(ROLES.filter((r) => may(r, 'steer'))).toEqual(['operator', 'admin']);
    expect(ROLES.filter((r) => may(r, 'commission'))).toEqual(['technician', 'admin']);
    expect(ROLES.filter((r) => may(r, 'administer'))).toEqual(['admin']);
    expect(capabilitiesOf('viewer')).toEqual(['view']);
  });
});

describe('sessions', () => {
  const limits = { idleMs: 1000, absoluteMs: 5000 };

  it('slide on use, end after idle time or the absolute limit', () => {
    const store = new SessionStore(limits);
    const { token } = store.create('ana', 'operator', 0);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.touch(token, 900)?.user).toBe('ana');
    expect(store.touch(token, 1800)?.role).toBe('operator'); // slid from 900
    expect(store.touch(token, 2801)).toBeNull(); // idle 1001 ms
    const second = store.create('ana', 'operator', 10_000).token;
    for (let t = 10_500; t < 15_000; t += 500) expect(store.touch(second, t)).not.toBeNull();
    expect(store.touch(second, 15_000)).toBeNull(); // 5 s after login, however busy
  });

  it('end on logout and for every session of a changed account', () => {
    const store = new SessionStore(limits);
    const a = store.create('ana', 'admin', 0).token;
    const b = store.create('ANA', 'admin', 0).token;
    const c = store.create('ben', 'viewer', 0).token;
    expect(store.revoke(c)).toBe(true);
    expect(store.touch(c, 1)).toBeNull();
    expect(store.revokeUser('Ana')).toBe(2);
    expect(store.touch(a, 1)).toBeNull();
    expect(store.touch(b, 1)).toBeNull();
    expect(store.touch('', 1)).toBeNull();
    expect(store.touch('x'.repeat(500), 1)).toBeNull();
  });
});

describe('login back-off', () => {
  it('lets 5 failures through, then locks 30 s, doubling up to 15 min; success clears', () => {
    const t = new LoginThrottle();
    const keys = ['user:ana'];
    for (let i = 0; i < 5; i++) {
      expect(t.waitMs(keys, 0)).toBe(0);
      t.failed(keys, 0);
    }
    expect(t.waitMs(keys, 0)).toBe(0);
    t.failed(keys, 0); // 6th
    expect(t.waitMs(keys, 0)).toBe(30_000);
    t.failed(keys, 30_000); // 7th
    expect(t.waitMs(keys, 30_000)).toBe(60_000);
    for (let i = 0; i < 10; i++) t.failed(keys, 100_000);
    expect(t.waitMs(keys, 100_000)).toBe(15 * 60_000);
    expect(t.waitMs(['user:ben'], 100_000)).toBe(0);
    t.succeeded(keys);
    expect(t.waitMs(keys, 100_000)).toBe(0);
  });
});
