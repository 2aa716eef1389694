// Household demand: a daily shape (night base, morning and evening peaks, some midday use),
// a seasonal swing (lighting and heating pumps in winter), per-household character drawn
// from the seed, and smooth noise. Scaled so a year adds up to the annual consumption.
import { between } from './prng';
import type { NoiseFn } from './smooth-noise';

const HOURS_PER_YEAR = 8766;
const MEAN_SAMPLES = 288;

export interface HouseholdProfile {
  avgPowerW: number;
  baseShare: number;
  morningPeakHour: number;
  morningShare: number;
  middayShare: number;
  eveningPeakHour: number;
  eveningShare: number;
  /** Mean of the daily shape, so shape / mean averages to 1 over a day. */
  shapeMean: number;
  /** Mean-zero smooth noise in [-1, 1], this household's own. */
  noise: NoiseFn;
}

/** Draws one household's character; `draw` is a seeded PRNG owned by that household. */
export function createHouseholdProfile(
  annualConsumptionWh: number,
  draw: () => number,
  noise: NoiseFn,
): HouseholdProfile {
  const profile: HouseholdProfile = {
    avgPowerW: annualConsumptionWh / HOURS_PER_YEAR,
    baseShare: between(draw, 0.35, 0.55),
    morningPeakHour: between(draw, 6.25, 8.0),
    morningShare: between(draw, 0.6, 1.2),
    middayShare: between(draw, 0.1, 0.6),
    eveningPeakHour: between(draw, 18.0, 20.0),
    eveningShare: between(draw, 1.2, 2.0),
    shapeMean: 1,
    noise,
  };
  let sum = 0;
  for (let i = 0; i < MEAN_SAMPLES; i++) sum += dailyShape(profile, (24 * i) / MEAN_SAMPLES);
  profile.shapeMean = sum / MEAN_SAMPLES;
  return profile;
}

export function dailyShape(p: HouseholdProfile, localHour: number): number {
  return (
    p.baseShare +
    p.morningShare * bump(localHour, p.morningPeakHour, 1.0) +
    p.middayShare * bump(localHour, 13, 2.0) +
    p.eveningShare * bump(localHour, p.eveningPeakHour, 1.6)
  );
}

/** Gaussian bump on a 24 h circle, so an evening peak may spill past midnight. */
function bump(hour: number, centreHour: number, widthH: number): number {
  const d = ((((hour - centreHour + 12) % 24) + 24) % 24) - 12;
  return Math.exp(-(d * d) / (2 * widthH * widthH));
}

/** Seasonal factor with mean 1 over a year, highest in mid-January (mid-July south of the equator). */
export function seasonalFactor(dayOfYear: number, latitudeDeg: number): number {
  const peakDay = latitudeDeg < 0 ? 15 + 182.6 : 15;
  return 1 + 0.2 * Math.cos((2 * Math.PI * (dayOfYear - peakDay)) / 365.25);
}

/** Demand in W (float, ≥ 0) at a time. */
export function householdLoadW(
  p: HouseholdProfile,
  utcMs: number,
  localHour: number,
  seasonal: number,
): number {
  // ±35 % around the profile: enough that no two households or days look alike, and the
  // noise has mean zero so the annual consumption still holds.
  const noise = p.noise(utcMs);
  const factor = Math.max(0.4, 1 + 0.35 * noise);
  return (p.avgPowerW * dailyShape(p, localHour) * seasonal * factor) / p.shapeMean;
}
