// Passwords are stored as scrypt hashes (RFC 7914) with a random salt and the cost in the
// stored string, so the cost can be raised later without invalidating existing accounts.
// Hashing runs on libuv's thread pool (async scrypt): a login never stalls the control cycle.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { fail, ok, type Result } from '../result';

export interface ScryptCost {
  /** log2 of N, the CPU/memory cost. */
  logN: number;
  r: number;
  p: number;
}

/** N = 2^15, r = 8: 32 MiB and ~0.1 s per hash on a site PC (OWASP's scrypt floor is 2^17 at r 8 for servers facing the internet; a station behind a login throttle can afford less). */
export const DEFAULT_COST: ScryptCost = { logN: 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Long enough for a passphrase, short enough that hashing cannot be used to burn CPU. */
export const PASSWORD_MIN_CHARS = 10;
export const PASSWORD_MAX_BYTES = 1024;

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** cost.logN,
    r: cost.r,
    p: cost.p,
    maxmem: 256 * 2 ** cost.logN * cost.r + 1024 * 1024,
  };
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** "scrypt$<logN>$<r>$<p>$<salt base64>$<key base64>" */
export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return [
    'scrypt',
    cost.logN,
    cost.r,
    cost.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [logN, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![logN, r, p].every((v) => Number.isInteger(v) && v > 0) || logN > 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (expected.length !== KEY_BYTES) return false;
  if (Buffer.byteLength(password) > PASSWORD_MAX_BYTES) return false;
  const key = await derive(password, salt, { logN, r, p });
  return timingSafeEqual(key, expected);
}

/** A new password: at least PASSWORD_MIN_CHARS characters, not only spaces. */
export function checkNewPassword(password: string): Result<string> {
  if ([...password].length < PASSWORD_MIN_CHARS || password.trim() === '')
    return fail({
      code: 'weak_password',
      message: `a password needs at least ${PASSWORD_MIN_CHARS} characters`,
    });
  if (Buffer.byteLength(password) > PASSWORD_MAX_BYTES)
    return fail({
      code: 'weak_password',
      message: `a password may have at most ${PASSWORD_MAX_BYTES} bytes`,
    });
  return ok(password);
}
