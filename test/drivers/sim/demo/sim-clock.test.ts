import { describe, expect, it } from 'vitest';
import { createSimClock } from '../../../../drivers/sim/demo/sim-clock';

const SIM0 = Date.UTC(2025, 5, 21, 6);
const REAL0 = 1_000_000;

describe('simulated clock', () => {
  it('runs N times faster than real time', () => {
    const clock = createSimClock({ startSimMs: SIM0, speed: 60, nowRealMs: REAL0 });
    expect(clock.simNowMs(REAL0)).toBe(SIM0);
    expect(clock.simNowMs(REAL0 + 1000)).toBe(SIM0 + 60_000);
    expect(clock.speed).toBe(60);
  });

  it('keeps simulated time continuous when the speed changes', () => {
    const clock = createSimClock({ startSimMs: SIM0, speed: 1, nowRealMs: REAL0 });
    clock.setSpeed(3600, REAL0 + 10_000);
    expect(clock.simNowMs(REAL0 + 10_000)).toBe(SIM0 + 10_000);
    expect(clock.simNowMs(REAL0 + 11_000)).toBe(SIM0 + 10_000 + 3_600_000);
    clock.setSpeed(0, REAL0 + 11_000); // pause
    expect(clock.simNowMs(REAL0 + 99_000)).toBe(SIM0 + 10_000 + 3_600_000);
    clock.setSpeed(1, REAL0 + 99_000);
    expect(clock.simNowMs(REAL0 + 100_000)).toBe(SIM0 + 10_000 + 3_600_000 + 1000);
  });

  it('gives integer ms for fractional speeds and never goes back when the real clock does', () => {
    const clock = createSimClock({ startSimMs: SIM0, speed: 1.5, nowRealMs: REAL0 });
    expect(clock.simNowMs(REAL0 + 1)).toBe(SIM0 + 1);
    const later = clock.simNowMs(REAL0 + 10_000);
    expect(later).toBe(SIM0 + 15_000);
    expect(clock.simNowMs(REAL0 + 5_000)).toBe(later);
    clock.setSpeed(2, REAL0 + 5_000);
    expect(clock.simNowMs(REAL0 + 5_000)).toBe(later);
    expect(clock.simNowMs(REAL0 + 11_000)).toBeGreaterThanOrEqual(later);
  });

  it('rejects negative or non-finite speeds', () => {
    expect(() => createSimClock({ startSimMs: SIM0, speed: -1, nowRealMs: REAL0 })).toThrow(
      RangeError,
    );
    const clock = createSimClock({ startSimMs: SIM0, speed: 1, nowRealMs: REAL0 });
    expect(() => clock.setSpeed(Number.POSITIVE_INFINITY, REAL0)).toThrow(RangeError);
  });
});
