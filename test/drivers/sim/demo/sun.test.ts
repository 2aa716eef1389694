import { describe, expect, it } from 'vitest';
import {
  clearSkyIrradianceWPerM2,
  cloudTransmission,
  fractionalDayOfYear,
  solarElevationDeg,
  solarNoonUtcHour,
} from '../../../../drivers/sim/demo/sun';

const BERLIN = { lat: 52.52, lon: 13.405 };

describe('sun', () => {
  it('stands at 90° − latitude + 23.44° at solar noon on the June solstice', () => {
    // Solar noon in Berlin on 21 June is about 11:08 UTC (longitude 13.4° E, EoT ≈ −1.7 min).
    const noon = Date.UTC(2025, 5, 21, 11, 8);
    expect(solarElevationDeg(noon, BERLIN.lat, BERLIN.lon)).toBeCloseTo(90 - 52.52 + 23.44, 0);
    // Six hours earlier the hour angle is −90°, where sin(elevation) = sin(lat)·sin(decl).
    const expected =
      Math.asin(Math.sin((52.52 * Math.PI) / 180) * Math.sin((23.44 * Math.PI) / 180)) *
      (180 / Math.PI);
    expect(solarElevationDeg(noon - 6 * 3_600_000, BERLIN.lat, BERLIN.lon)).toBeCloseTo(
      expected,
      0,
    );
  });

  it('stands at 90° − latitude − 23.44° at solar noon on the December solstice', () => {
    const noon = Date.UTC(2025, 11, 21, 11, 4);
    expect(solarElevationDeg(noon, BERLIN.lat, BERLIN.lon)).toBeCloseTo(90 - 52.52 - 23.44, 0);
  });

  it('is overhead at the equator at noon on an equinox and below the horizon at midnight', () => {
    const equinoxNoon = Date.UTC(2025, 2, 20, 12, 7);
    expect(solarElevationDeg(equinoxNoon, 0, 0)).toBeGreaterThan(88);
    expect(solarElevationDeg(Date.UTC(2025, 2, 20, 0, 7), 0, 0)).toBeLessThan(-88);
  });

  it('puts solar noon earlier the further east the site', () => {
    const day = fractionalDayOfYear(Date.UTC(2025, 5, 21, 12));
    expect(solarNoonUtcHour(day, 0)).toBeCloseTo(12 + 1.7 / 60, 1);
    expect(solarNoonUtcHour(day, 15)).toBeCloseTo(solarNoonUtcHour(day, 0) - 1, 6);
  });

  it('knows the day of the year in UTC', () => {
    expect(fractionalDayOfYear(Date.UTC(2025, 0, 1))).toBe(1);
    expect(fractionalDayOfYear(Date.UTC(2025, 0, 2, 12))).toBe(2.5);
    expect(fractionalDayOfYear(Date.UTC(2024, 11, 31))).toBe(366); // leap year
  });

  it('gives no clear-sky light below the horizon and about 1 kW/m² at the zenith', () => {
    expect(clearSkyIrradianceWPerM2(-5)).toBe(0);
    expect(clearSkyIrradianceWPerM2(0)).toBe(0);
    expect(clearSkyIrradianceWPerM2(90)).toBeCloseTo(1098 * Math.exp(-0.059), 6);
    expect(clearSkyIrradianceWPerM2(30)).toBeLessThan(clearSkyIrradianceWPerM2(60));
  });

  it('lets a quarter of the light through full overcast and all of it through a clear sky', () => {
    expect(cloudTransmission(0)).toBe(1);
    expect(cloudTransmission(1)).toBeCloseTo(0.25, 10);
    expect(cloudTransmission(0.5)).toBeGreaterThan(0.9);
  });
});
