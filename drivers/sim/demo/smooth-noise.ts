// Value noise: random knots at a fixed period, eased in between. It is a pure function of
// time, so the result does not depend on how the caller slices time into steps.
import { hash32 } from './prng';

export type NoiseFn = (tMs: number) => number;

/** Smooth noise in [-1, 1] with features about `periodMs` long. */
export function createSmoothNoise(seed: number, stream: number, periodMs: number): NoiseFn {
  // Remembers the last pair of knots: the physics ticks far more often than knots change,
  // and hashing dominated the cost of a simulated day.
  let cachedIndex = Number.NaN;
  let a = 0;
  let b = 0;
  return (tMs) => {
    const x = tMs / periodMs;
    const i = Math.floor(x);
    if (i !== cachedIndex) {
      a = i === cachedIndex + 1 ? b : knot(seed, stream, i);
      b = knot(seed, stream, i + 1);
      cachedIndex = i;
    }
    const f = x - i;
    // Smoothstep keeps the slope continuous at knots: no visible kinks in the demo charts.
    const s = f * f * (3 - 2 * f);
    return a + (b - a) * s;
  };
}

function knot(seed: number, stream: number, index: number): number {
  return (2 * hash32(seed, stream, index)) / 0x1_0000_0000 - 1;
}

/** Slow drift plus faster wobble, weighted 3:1 so the range stays [-1, 1]. */
export function createTwoOctaveNoise(
  seed: number,
  stream: number,
  slowMs: number,
  fastMs: number,
): NoiseFn {
  const slow = createSmoothNoise(seed, stream, slowMs);
  const fast = createSmoothNoise(seed, (stream ^ 0x5bd1e995) >>> 0, fastMs);
  return (tMs) => 0.75 * slow(tMs) + 0.25 * fast(tMs);
}
