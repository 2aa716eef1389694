// Reconnect delays: initialMs, doubling (by `factor`) up to maxMs. The link resets it once a
// connection has carried a reply, not merely on TCP connect, so a device that accepts and
// then drops every connection still gets ever longer pauses instead of a tight loop.
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 30_000, factor: 2 };

export class Backoff {
  private failureCount = 0;

  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  /** Consecutive failures so far. */
  get failures(): number {
    return this.failureCount;
  }

  /** Records a failure and returns how long to wait before the next attempt. */
  next(): number {
    const { initialMs, maxMs, factor } = this.options;
    const delayMs = Math.min(maxMs, initialMs * factor ** this.failureCount);
    this.failureCount++;
    return delayMs;
  }

  reset(): void {
    this.failureCount = 0;
  }
}
