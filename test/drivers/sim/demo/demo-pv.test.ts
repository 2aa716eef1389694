import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  HOUR_MS,
  MIN_MS,
  SUMMER_MS,
  WINTER_MS,
  demo,
  makeDemo,
  sumOf,
} from './demo-fixture';
import { solarNoonUtcHour, fractionalDayOfYear } from '../../../../drivers/sim/demo/sun';

function dayOfPv(startMs: number, weather: 'clear' | 'cloudy' = 'clear') {
  const model = makeDemo({ startSimMs: startMs, weather });
  const samples: { t: number; pvW: number; elevationDeg: number }[] = [];
  for (let t = startMs; t < startMs + DAY_MS; t += MIN_MS) {
    const s = model.step(t);
    samples.push({
      t,
      pvW: sumOf(s.pv, (p) => p.powerW),
      elevationDeg: s.environment.sunElevationDeg,
    });
  }
  return samples;
}

describe('demo physics: PV', () => {
  it('produces nothing while the sun is below the horizon, on any inverter', () => {
    const samples = dayOfPv(SUMMER_MS);
    const night = samples.filter((s) => s.elevationDeg <= 0);
    expect(night.length).toBeGreaterThan(6 * 60); // a June night in Berlin is ~7.5 h
    expect(night.every((s) => s.pvW === 0)).toBe(true);
    // 01:00 UTC is 03:00 local: deep night by any formula.
    expect(samples.find((s) => s.t === SUMMER_MS + HOUR_MS)?.pvW).toBe(0);
  });

  it('peaks within a quarter of an hour of solar noon on a clear day', () => {
    const samples = dayOfPv(SUMMER_MS);
    const peak = samples.reduce((best, s) => (s.pvW > best.pvW ? s : best));
    const location = demo.site.location;
    if (!location) throw new Error('demo site needs a location');
    const noonHour = solarNoonUtcHour(
      fractionalDayOfYear(SUMMER_MS + 12 * HOUR_MS),
      location.longitudeDeg,
    );
    expect(Math.abs((peak.t - SUMMER_MS) / HOUR_MS - noonHour)).toBeLessThan(0.25);
    // 47 kWp of roofs at ~0.85 derate under ~900 W/m²: mid-30s kW.
    expect(peak.pvW).toBeGreaterThan(30_000);
    expect(peak.pvW).toBeLessThan(42_000);
  });

  it('yields less on a cloudy day and much less in December', () => {
    const energy = (samples: { pvW: number }[]): number =>
      samples.reduce((sum, s) => sum + s.pvW / 60, 0);
    const clearJune = energy(dayOfPv(SUMMER_MS));
    const cloudyJune = energy(dayOfPv(SUMMER_MS, 'cloudy'));
    const clearDecember = energy(dayOfPv(WINTER_MS));
    expect(cloudyJune).toBeLessThan(0.8 * clearJune);
    expect(cloudyJune).toBeGreaterThan(0.2 * clearJune);
    expect(clearDecember).toBeLessThan(0.3 * clearJune);
    expect(clearDecember).toBeGreaterThan(0);
  });

  it('moves smoothly under clouds: passing clouds, not white noise', () => {
    const model = makeDemo({ startSimMs: SUMMER_MS + 10 * HOUR_MS, weather: 'cloudy' });
    let previous = sumOf(model.state().pv, (p) => p.powerW);
    let maxJumpW = 0;
    let minW = Infinity;
    let maxW = 0;
    for (let t = SUMMER_MS + 10 * HOUR_MS + 1000; t < SUMMER_MS + 12 * HOUR_MS; t += 1000) {
      const pvW = sumOf(model.step(t).pv, (p) => p.powerW);
      maxJumpW = Math.max(maxJumpW, Math.abs(pvW - previous));
      minW = Math.min(minW, pvW);
      maxW = Math.max(maxW, pvW);
      previous = pvW;
    }
    expect(maxW - minW).toBeGreaterThan(5_000); // clouds do change the output
    expect(maxJumpW).toBeLessThan(1_000); // but not by more than a few % of peak per second
  });

  it('clips at the inverter rating and never goes negative', () => {
    const pv01 = demo.physics.devices['pv-01'];
    if (pv01?.kind !== 'pv') throw new Error('pv-01 missing');
    const physics = {
      ...demo.physics,
      devices: {
        ...demo.physics.devices,
        'pv-01': { ...pv01, peakPowerWp: 40_000, ratedAcPowerW: 3_000 },
      },
    };
    const model = makeDemo({ physics });
    const noon = model.step(SUMMER_MS + 11 * HOUR_MS);
    expect(noon.pv['pv-01']?.powerW).toBe(3_000);
    expect(noon.pv['pv-01']?.ratedPowerW).toBe(3_000);
    expect(model.step(SUMMER_MS + 23 * HOUR_MS).pv['pv-01']?.powerW).toBe(0);
  });
});
