// Cloud cover over the site. One sky for all roofs (they are a few hundred metres apart),
// drifting smoothly: clouds take minutes to pass, they do not flicker every second.
import { createTwoOctaveNoise } from './smooth-noise';

export const WEATHERS = ['clear', 'cloudy'] as const;
export type Weather = (typeof WEATHERS)[number];

const CLOUD_STREAM = 0xc10d;

/** Cloud cover 0..1 over time for a weather; same seed, same sky. */
export function createCloudCover(seed: number): (weather: Weather, utcMs: number) => number {
  const noise = createTwoOctaveNoise(seed, CLOUD_STREAM, 20 * 60_000, 3 * 60_000);
  return (weather, utcMs) => {
    const n = noise(utcMs);
    // Clear: a little haze. Cloudy: broken to overcast, so PV swings between about a
    // quarter and most of its clear-sky output as clouds pass.
    const cover = weather === 'clear' ? 0.08 + 0.06 * n : 0.8 + 0.2 * n;
    return Math.max(0, Math.min(1, cover));
  };
}
