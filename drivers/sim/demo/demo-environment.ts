// What the world does to the microgrid during one physics tick: sun, clouds, demand and the
// upstream grid's voltage and frequency. Independent of the battery and of control, so it
// is computed once per tick, from the tick's start time only.
import { createPrng, hashString } from './prng';
import { createTwoOctaveNoise } from './smooth-noise';
import {
  clearSkyIrradianceWPerM2,
  cloudTransmission,
  fractionalDayOfYear,
  solarElevationDeg,
} from './sun';
import { createCloudCover, type Weather } from './weather';
import { createHouseholdProfile, householdLoadW, seasonalFactor } from './load-profile';
import { createLocalHourOfDay } from './local-time';
import type { DemoTopology } from './demo-topology';

/** Photocells switch street lights on a little after sunset, off a little before sunrise. */
const STREET_LIGHT_ELEVATION_DEG = -3;
const VOLTAGE_STREAM = 0x7a11;
const FREQUENCY_STREAM = 0xf4e9;

export interface DemoEnvironment {
  sunElevationDeg: number;
  /** Global horizontal irradiance after clouds, W/m². */
  irradianceWPerM2: number;
  cloudCoverPct: number;
  /** Aligned with topology.households; integer W ≥ 0. */
  householdLoadW: number[];
  /** What each inverter could deliver now, aligned with topology.pv; integer W ≥ 0. */
  pvAvailableW: number[];
  /** Aligned with topology.communityLoads; integer W ≥ 0. */
  communityLoadW: number[];
  /** Upstream grid as it would be measured with the connection closed. */
  voltageV: number;
  frequencyHz: number;
}

export type EnvironmentModel = (tickStartMs: number, weather: Weather) => DemoEnvironment;

export function createEnvironmentModel(topology: DemoTopology, seed: number): EnvironmentModel {
  const localHour = createLocalHourOfDay(topology.timezone);
  const cloudCover = createCloudCover(seed);
  const voltageNoise = createTwoOctaveNoise(seed, VOLTAGE_STREAM, 10 * 60_000, 30_000);
  const frequencyNoise = createTwoOctaveNoise(seed, FREQUENCY_STREAM, 5 * 60_000, 20_000);
  // Each household's character depends only on the seed and its own id, so adding a
  // household to the site does not change the others.
  const profiles = topology.households.map((h) => {
    const stream = hashString(h.meterId);
    const noise = createTwoOctaveNoise(seed, stream, 15 * 60_000, 90_000);
    return createHouseholdProfile(h.physics.annualConsumptionWh, createPrng(seed ^ stream), noise);
  });
  const { latitudeDeg, longitudeDeg } = topology;

  return (tMs, weather) => {
    const sunElevationDeg = solarElevationDeg(tMs, latitudeDeg, longitudeDeg);
    const cover = cloudCover(weather, tMs);
    const irradianceWPerM2 = clearSkyIrradianceWPerM2(sunElevationDeg) * cloudTransmission(cover);
    const hour = localHour(tMs);
    const seasonal = seasonalFactor(fractionalDayOfYear(tMs), latitudeDeg);
    const night = sunElevationDeg < STREET_LIGHT_ELEVATION_DEG;
    return {
      sunElevationDeg,
      irradianceWPerM2,
      cloudCoverPct: Math.round(cover * 1000) / 10,
      householdLoadW: profiles.map((profile) =>
        Math.round(householdLoadW(profile, tMs, hour, seasonal)),
      ),
      pvAvailableW: topology.pv.map(({ physics }) => {
        const acW = ((physics.peakPowerWp * irradianceWPerM2) / 1000) * physics.derate;
        return Math.round(Math.min(physics.ratedAcPowerW, Math.max(0, acW)));
      }),
      communityLoadW: topology.communityLoads.map(
        (c) => c.basePowerW + (night ? c.nightPowerW : 0),
      ),
      voltageV: Math.round((230 + 2.5 * voltageNoise(tMs)) * 10) / 10,
      frequencyHz: Math.round((50 + 0.04 * frequencyNoise(tMs)) * 1000) / 1000,
    };
  };
}
