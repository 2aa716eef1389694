import { describe, expect, it } from 'vitest';
import {
  createHouseholdProfile,
  householdLoadW,
  seasonalFactor,
} from '../../../../drivers/sim/demo/load-profile';
import { createLocalHourOfDay } from '../../../../drivers/sim/demo/local-time';
import { createPrng } from '../../../../drivers/sim/demo/prng';
import { createTwoOctaveNoise } from '../../../../drivers/sim/demo/smooth-noise';
import { fractionalDayOfYear } from '../../../../drivers/sim/demo/sun';

const STEP_MS = 5 * 60_000;
const YEAR_START = Date.UTC(2025, 0, 1);
const YEAR_END = Date.UTC(2026, 0, 1);

function profileFor(seed: number, annualWh: number) {
  return createHouseholdProfile(
    annualWh,
    createPrng(seed),
    createTwoOctaveNoise(seed, 11, 15 * 60_000, 90_000),
  );
}

describe('household load profile', () => {
  const localHour = createLocalHourOfDay('Europe/Berlin');

  it.each([1, 2, 3])('adds up to the annual consumption within 3 %% (seed %i)', (seed) => {
    const profile = profileFor(seed, 3_500_000);
    let energyWh = 0;
    for (let t = YEAR_START; t < YEAR_END; t += STEP_MS) {
      const w = householdLoadW(
        profile,
        t,
        localHour(t),
        seasonalFactor(fractionalDayOfYear(t), 52.5),
      );
      energyWh += (w * STEP_MS) / 3_600_000;
    }
    expect(energyWh / 3_500_000).toBeGreaterThan(0.97);
    expect(energyWh / 3_500_000).toBeLessThan(1.03);
  });

  it('draws more in the evening than at night, and more in winter than in summer', () => {
    const profile = profileFor(5, 3_000_000);
    const meanOver = (startMs: number, fromHour: number, toHour: number): number => {
      let sum = 0;
      let n = 0;
      for (let day = 0; day < 28; day++) {
        for (
          let t = startMs + day * 86_400_000;
          t < startMs + (day + 1) * 86_400_000;
          t += STEP_MS
        ) {
          const h = localHour(t);
          if (h >= fromHour && h < toHour) {
            sum += householdLoadW(profile, t, h, seasonalFactor(fractionalDayOfYear(t), 52.5));
            n++;
          }
        }
      }
      return sum / n;
    };
    const winter = Date.UTC(2025, 0, 5);
    const summer = Date.UTC(2025, 6, 5);
    expect(meanOver(winter, 18, 21)).toBeGreaterThan(2 * meanOver(winter, 2, 5));
    expect(meanOver(winter, 0, 24)).toBeGreaterThan(1.2 * meanOver(summer, 0, 24));
  });

  it('follows the wall clock across daylight saving time', () => {
    // 06:00 UTC is 07:00 in Berlin in winter and 08:00 in summer.
    expect(localHour(Date.UTC(2025, 0, 15, 6))).toBe(7);
    expect(localHour(Date.UTC(2025, 6, 15, 6))).toBe(8);
    // The switch on 30 March 2025 happens at 01:00 UTC.
    expect(localHour(Date.UTC(2025, 2, 30, 0, 59))).toBeCloseTo(1 + 59 / 60, 10);
    expect(localHour(Date.UTC(2025, 2, 30, 1, 0))).toBe(3);
  });

  it('mirrors the seasons south of the equator', () => {
    expect(seasonalFactor(15, 52)).toBeCloseTo(1.2, 2);
    expect(seasonalFactor(15, -33)).toBeCloseTo(0.8, 2);
  });
});
