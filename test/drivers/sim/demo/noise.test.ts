import { describe, expect, it } from 'vitest';
import { createPrng, hash32, hashString } from '../../../../drivers/sim/demo/prng';
import { createSmoothNoise } from '../../../../drivers/sim/demo/smooth-noise';

describe('seeded randomness', () => {
  it('replays the same sequence for the same seed and a different one for another', () => {
    const take = (seed: number): number[] => {
      const draw = createPrng(seed);
      return Array.from({ length: 5 }, draw);
    };
    expect(take(1)).toEqual(take(1));
    expect(take(1)).not.toEqual(take(2));
    for (const x of take(3)) expect(x >= 0 && x < 1).toBe(true);
  });

  it('hashes indices beyond 32 bits without collisions at 2^32 apart', () => {
    expect(hash32(1, 2, 5)).not.toBe(hash32(1, 2, 5 + 2 ** 32));
    expect(hashString('meter-01')).not.toBe(hashString('meter-02'));
  });
});

describe('smooth noise', () => {
  const period = 60_000;
  const noise = createSmoothNoise(42, 7, period);

  it('stays in [-1, 1], averages near zero and moves only a little per second', () => {
    let total = 0;
    let maxAbs = 0;
    let maxJump = 0;
    let previous = noise(0);
    const n = 200_000;
    for (let i = 1; i <= n; i++) {
      const v = noise(i * 1000);
      maxAbs = Math.max(maxAbs, Math.abs(v));
      maxJump = Math.max(maxJump, Math.abs(v - previous));
      total += v;
      previous = v;
    }
    expect(maxAbs).toBeLessThanOrEqual(1);
    expect(maxAbs).toBeGreaterThan(0.9); // it does use its range
    // Smoothstep slope is at most 1.5 × (knot gap ≤ 2) per period: 0.05 per second here.
    expect(maxJump).toBeLessThanOrEqual(0.05 + 1e-12);
    expect(Math.abs(total / n)).toBeLessThan(0.05);
  });

  it('is a pure function of time: order of calls does not matter', () => {
    const fresh = createSmoothNoise(42, 7, period);
    const times = [5_000_000, 12_345, 999_999_999, 12_346, 5_000_000];
    expect(times.map((t) => fresh(t))).toEqual(
      times.map((t) => createSmoothNoise(42, 7, period)(t)),
    );
  });
});
