// Seeded randomness for the demo microgrid. The same seed must replay the same day (tests,
// bug reports, screenshots), so nothing here touches Math.random.

/** Mixes any number of 32-bit integers into one well-spread uint32 (murmur3 finaliser). */
export function hash32(a: number, b = 0, c = 0): number {
  let h = mixIn(0x9e3779b9, a);
  h = mixIn(h, b);
  h = mixIn(h, c);
  return mix(h);
}

// Low and high words both count, so large indices (ms since epoch / period) still differ.
function mixIn(h: number, part: number): number {
  return mix(mix(h ^ (part >>> 0)) ^ (Math.floor(part / 0x1_0000_0000) >>> 0));
}

function mix(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a: turns a device id into a stream number, so adding a device does not reshuffle others. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  }
  return h >>> 0;
}

/** Sequential uniform draws in [0, 1) (mulberry32), for per-device parameters. */
export function createPrng(seed: number): () => number {
  let state = hash32(seed);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  };
}

/** Uniform in [min, max) from a draw function. */
export function between(draw: () => number, min: number, max: number): number {
  return min + (max - min) * draw();
}
