// Worked examples of the interval forecast (core/market/forecast.ts), computed by hand.
import { describe, expect, it } from 'vitest';
import {
  explainForecast,
  forecastIntervalWh,
  forecastSolarShare,
  type NetPowerSample,
} from '../../../core/market/forecast';

const MIN = 60_000;
const T = Date.UTC(2025, 5, 1, 12, 0);
const INTERVAL = { startMs: T, endMs: T + 15 * MIN };
const DAY = 86_400_000;

/** One sample a minute, the first `count` minutes before `endMs`, oldest first. */
const perMinute = (endMs: number, watts: number[]): NetPowerSample[] =>
  watts.map((netW, i) => ({ tsMs: endMs - (watts.length - i) * MIN, netW }));

// 10 minutes importing 400 W, then 5 minutes exporting 2000 W (the sun came out).
const RECENT = perMinute(T, [...Array<number>(10).fill(400), ...Array<number>(5).fill(-2000)]);

describe('forecastIntervalWh', () => {
  it('persists the mean of the last 15 minutes over the interval', () => {
    // Mean (10 × 400 − 5 × 2000) / 15 = −400 W; × 0.25 h = −100 Wh (a surplus).
    expect(forecastIntervalWh(RECENT, INTERVAL, { yesterdayWeightPct: 0 })).toBe(-100);
    expect(forecastIntervalWh(RECENT, INTERVAL)).toBe(-100); // no data yesterday: no blend
  });

  it('blends in the same interval yesterday when it was covered', () => {
    const yesterday = perMinute(T - DAY + 15 * MIN, Array<number>(15).fill(-1200));
    const samples = [...yesterday, ...RECENT];
    // 75 % × −400 W + 25 % × −1200 W = −600 W; × 0.25 h = −150 Wh.
    expect(forecastIntervalWh(samples, INTERVAL)).toBe(-150);
    expect(explainForecast(samples, INTERVAL)).toEqual({
      energyWh: -150,
      recentMeanW: -400,
      recentCoveragePct: 100,
      yesterdayMeanW: -1200,
      yesterdayCoveragePct: 100,
      yesterdayWeightPct: 25,
    });
    // Half and half: (−400 − 1200) / 2 = −800 W → −200 Wh.
    expect(forecastIntervalWh(samples, INTERVAL, { yesterdayWeightPct: 50 })).toBe(-200);
    // Yesterday covered only 6 of 15 minutes (40 %): not blended.
    const thinYesterday = [...yesterday.slice(0, 6), ...RECENT];
    expect(explainForecast(thinYesterday, INTERVAL)).toMatchObject({
      energyWh: -100,
      yesterdayMeanW: null,
      yesterdayWeightPct: 0,
    });
  });

  it('averages over the covered time only, and gives up below 50 % coverage', () => {
    // Only the last 9 minutes were received (9 of 15 = 60 %): 4 × 400 W, 5 × −2000 W.
    const nine = RECENT.slice(6);
    // Mean (4 × 400 − 5 × 2000) / 9 = −933.3 W; × 0.25 h = −233.3 Wh → −233.
    expect(explainForecast(nine, INTERVAL)).toMatchObject({
      energyWh: -233,
      recentCoveragePct: 60,
    });
    // 7 minutes of 15 = 46.7 %: too thin, no forecast.
    expect(forecastIntervalWh(RECENT.slice(8), INTERVAL)).toBeNull();
    expect(forecastIntervalWh([], INTERVAL)).toBeNull();
  });

  it('holds a sample until the next one, at most 60 s, and takes samples in any order', () => {
    // Two samples 7.5 minutes apart: each covers 60 s only (2 of 15 min): too thin.
    const sparse = [
      { tsMs: T - 15 * MIN, netW: 800 },
      { tsMs: T - 7.5 * MIN, netW: 800 },
    ];
    expect(forecastIntervalWh(sparse, INTERVAL)).toBeNull();
    // With a 10-minute hold they cover the whole window: 800 W × 0.25 h = 200 Wh.
    expect(forecastIntervalWh(sparse, INTERVAL, { maxHoldMs: 10 * MIN })).toBe(200);
    // Irregular 1 s, 20 s and 40 s gaps: time-weighted, not a plain mean of the samples.
    const irregular = [
      { tsMs: T - 2 * MIN, netW: 1000 }, // holds 60 s
      { tsMs: T - 1 * MIN, netW: 3000 }, // holds 1 s
      { tsMs: T - 59_000, netW: 0 }, // holds 59 s
    ];
    // Window 2 minutes (120 s, all covered): (60 × 1000 + 1 × 3000 + 59 × 0) / 120 = 525 W;
    // × 0.25 h = 131.25 Wh → 131.
    expect(forecastIntervalWh([...irregular].reverse(), INTERVAL, { windowMinutes: 2 })).toBe(131);
  });

  it('ignores broken samples (a gap, not a zero) and samples after the forecast time', () => {
    const broken = RECENT.map((s, i) => (i === 0 ? { ...s, netW: Number.NaN } : s));
    // 14 minutes: (9 × 400 − 5 × 2000) / 14 = −457.14 W → −114.29 Wh → −114.
    expect(forecastIntervalWh(broken, INTERVAL)).toBe(-114);
    const future = [...RECENT, { tsMs: T + MIN, netW: 99_999 }];
    expect(forecastIntervalWh(future, INTERVAL)).toBe(-100);
    // Forecast made 5 minutes before delivery (gate closure): window [T − 20 min, T − 5 min).
    expect(
      explainForecast(RECENT, INTERVAL, { nowMs: T - 5 * MIN, yesterdayWeightPct: 0 }),
    ).toMatchObject({ energyWh: 100, recentCoveragePct: expect.closeTo(66.667, 3) });
  });

  it('rounds once to the nearest Wh, halves away from zero, symmetric for export', () => {
    const flat = (netW: number) => perMinute(T, Array<number>(15).fill(netW));
    expect(forecastIntervalWh(flat(2), INTERVAL)).toBe(1); // 0.5 Wh
    expect(forecastIntervalWh(flat(-2), INTERVAL)).toBe(-1);
    expect(forecastIntervalWh(flat(1.996), INTERVAL)).toBe(0); // 0.499 Wh
    expect(forecastIntervalWh(flat(0.0004), INTERVAL)).toBe(0); // below a mW: 0
    expect(forecastIntervalWh(flat(5), INTERVAL)).toBe(1); // 1.25 Wh
    expect(forecastIntervalWh(flat(-6), INTERVAL)).toBe(-2); // −1.5 Wh
    // A 1-hour interval at 333 W: 333 Wh exactly.
    expect(forecastIntervalWh(flat(333), { startMs: T, endMs: T + 60 * MIN })).toBe(333);
  });

  it('refuses nonsense options (a caller bug)', () => {
    expect(() => forecastIntervalWh(RECENT, { startMs: T, endMs: T })).toThrow(RangeError);
    expect(() => forecastIntervalWh(RECENT, INTERVAL, { yesterdayWeightPct: 12.5 })).toThrow(
      /whole percent/,
    );
    expect(() => forecastIntervalWh(RECENT, INTERVAL, { windowMinutes: 0 })).toThrow(RangeError);
  });
});

describe('forecastSolarShare', () => {
  const pv = (pvW: number) =>
    perMinute(T, Array<number>(15).fill(pvW)).map(({ tsMs, netW }) => ({ tsMs, pvW: netW }));

  it('labels a surplus solar when the PV produces all of it', () => {
    // PV 2400 W → 600 Wh; the surplus is 100 Wh: all of it solar.
    expect(forecastSolarShare(pv(2400), INTERVAL, -100)).toEqual({
      pvWh: 600,
      surplusWh: 100,
      solarWh: 100,
      solar: true,
    });
  });

  it('does not label a surplus the PV covers only in part, nor a need', () => {
    // PV 200 W → 50 Wh < 100 Wh surplus (a battery discharges the rest).
    expect(forecastSolarShare(pv(200), INTERVAL, -100)).toMatchObject({
      solarWh: 50,
      solar: false,
    });
    expect(forecastSolarShare(pv(2400), INTERVAL, 300)).toMatchObject({
      surplusWh: 0,
      solar: false,
    });
    expect(forecastSolarShare(pv(2400), INTERVAL, null)).toMatchObject({ solar: false });
    // Night: a standby draw of −3 W counts as no production.
    expect(forecastSolarShare(pv(-3), INTERVAL, -100)).toMatchObject({ pvWh: 0, solar: false });
  });

  it('gives no answer without enough PV data', () => {
    expect(forecastSolarShare(pv(2400).slice(10), INTERVAL, -100)).toBeNull();
  });
});
