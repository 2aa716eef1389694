// Back-off after failed logins, per account and per client address: after `freeFailures`
// failures in a row, each further attempt waits 30 s, doubling up to 15 min. While locked,
// the password is not even checked, so guessing gains nothing from waiting less. A success
// clears the account's and the client's count. In memory: a restart clears it (an attacker
// cannot restart the station, an operator can).

export interface ThrottleConfig {
  freeFailures: number;
  firstLockMs: number;
  maxLockMs: number;
}

export const DEFAULT_THROTTLE: ThrottleConfig = {
  freeFailures: 5,
  firstLockMs: 30_000,
  maxLockMs: 15 * 60_000,
};

interface Count {
  failures: number;
  lockedUntilMs: number;
}

const MAX_KEYS = 10_000;

export class LoginThrottle {
  readonly #counts = new Map<string, Count>();

  constructor(private readonly config: ThrottleConfig = DEFAULT_THROTTLE) {}

  /** Milliseconds until any of these keys may try again; 0 when free. */
  waitMs(keys: readonly string[], nowMs: number): number {
    return Math.max(0, ...keys.map((k) => (this.#counts.get(k)?.lockedUntilMs ?? 0) - nowMs));
  }

  failed(keys: readonly string[], nowMs: number): void {
    if (this.#counts.size > MAX_KEYS) this.#forgetUnlocked(nowMs);
    for (const key of keys) {
      const count = this.#counts.get(key) ?? { failures: 0, lockedUntilMs: 0 };
      count.failures += 1;
      const over = count.failures - this.config.freeFailures;
      if (over > 0)
        count.lockedUntilMs =
          nowMs + Math.min(this.config.maxLockMs, this.config.firstLockMs * 2 ** (over - 1));
      this.#counts.set(key, count);
    }
  }

  succeeded(keys: readonly string[]): void {
    for (const key of keys) this.#counts.delete(key);
  }

  #forgetUnlocked(nowMs: number): void {
    for (const [key, c] of this.#counts) if (c.lockedUntilMs <= nowMs) this.#counts.delete(key);
  }
}
