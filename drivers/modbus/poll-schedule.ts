// Which poll classes a cycle reads: fast every cycle; slow on the first cycle, then again
// after `everyCycles` cycles or `everyMs` milliseconds, whichever comes first. A cycle
// that fails leaves slow due, so energy counters and nameplate data are read on the next
// good cycle rather than a full period later.
import type { PollClass } from './poll-types';

export interface SlowPolicy {
  /** Read slow points on every Nth cycle (≥ 1). */
  readonly everyCycles: number;
  /** …or when this long has passed since they were last read. */
  readonly everyMs: number;
}

/** Energy counters ten times slower than power at the default 1 s interval; at most 10 s old. */
export const DEFAULT_SLOW_POLICY: SlowPolicy = { everyCycles: 10, everyMs: 10_000 };

export class PollSchedule {
  private readonly policy: SlowPolicy;
  private cycles = 0;
  private slowCycle: number | null = null;
  private slowMs: number | null = null;

  constructor(policy: Partial<SlowPolicy> = {}) {
    const everyCycles = Math.max(
      1,
      Math.floor(policy.everyCycles ?? DEFAULT_SLOW_POLICY.everyCycles),
    );
    const everyMs = Math.max(0, policy.everyMs ?? DEFAULT_SLOW_POLICY.everyMs);
    // NaN would make the time rule never fire silently; fall back to the default instead.
    this.policy = {
      everyCycles: Number.isFinite(everyCycles) ? everyCycles : 1,
      everyMs: Number.isNaN(everyMs) ? DEFAULT_SLOW_POLICY.everyMs : everyMs,
    };
  }

  /** Classes due in the cycle that starts now. */
  due(nowMs: number): ReadonlySet<PollClass> {
    const slow =
      this.slowCycle === null ||
      this.slowMs === null ||
      // `cycles` counts completed cycles: the one starting now is number cycles + 1.
      this.cycles + 1 - this.slowCycle >= this.policy.everyCycles ||
      nowMs - this.slowMs >= this.policy.everyMs;
    return new Set<PollClass>(slow ? ['fast', 'slow'] : ['fast']);
  }

  /** Call once per cycle, after it ran; `read` are the classes it read successfully. */
  completed(read: ReadonlySet<PollClass>, nowMs: number): void {
    this.cycles++;
    if (read.has('slow')) {
      this.slowCycle = this.cycles;
      this.slowMs = nowMs;
    }
  }

  /** Forget what was read: the next cycle reads everything (e.g. after re-discovery). */
  reset(): void {
    this.slowCycle = null;
    this.slowMs = null;
  }
}
