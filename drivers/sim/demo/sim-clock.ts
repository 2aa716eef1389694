// Maps real time to simulated time for the demo, so a day of sun can pass in minutes.
// Pure: the caller passes the real time in, which keeps tests free of timers. Prefer a
// monotonic source (performance.now()); a wall clock that jumps back only pauses the demo.

export interface SimClockOptions {
  /** Simulated UTC ms at `nowRealMs`. */
  startSimMs: number;
  /** Simulated ms per real ms: 1 = real time, 60 = a minute per second, 0 = paused. */
  speed: number;
  nowRealMs: number;
}

export interface SimClock {
  readonly speed: number;
  /** Simulated time (integer ms) at a real time; never goes back, even if the real clock does. */
  simNowMs(nowRealMs: number): number;
  /** Changes speed from `nowRealMs` on; simulated time continues from where it is. */
  setSpeed(speed: number, nowRealMs: number): void;
}

export function createSimClock(options: SimClockOptions): SimClock {
  assertSpeed(options.speed);
  if (!Number.isSafeInteger(options.startSimMs))
    throw new RangeError(`startSimMs must be an integer, got ${options.startSimMs}`);
  let anchorSimMs = options.startSimMs;
  let anchorRealMs = options.nowRealMs;
  let speed = options.speed;
  let lastSimMs = options.startSimMs;

  function simNowMs(nowRealMs: number): number {
    // A real clock stepped back (NTP, suspend) must not run the physics backwards.
    const elapsedRealMs = Math.max(0, nowRealMs - anchorRealMs);
    const simMs = anchorSimMs + Math.floor(elapsedRealMs * speed);
    lastSimMs = Math.max(lastSimMs, simMs);
    return lastSimMs;
  }

  return {
    get speed() {
      return speed;
    },
    simNowMs,
    setSpeed(next, nowRealMs) {
      assertSpeed(next);
      anchorSimMs = simNowMs(nowRealMs);
      anchorRealMs = Math.max(anchorRealMs, nowRealMs);
      speed = next;
    },
  };
}

function assertSpeed(speed: number): void {
  if (!Number.isFinite(speed) || speed < 0)
    throw new RangeError(`speed must be a finite number ≥ 0, got ${speed}`);
}
