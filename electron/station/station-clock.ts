/** Station time in UTC ms. Injected so tests and accelerated scenarios control it. */
export interface Clock {
  nowMs(): number;
}

export const systemClock: Clock = { nowMs: () => Date.now() };
