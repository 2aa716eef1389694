// The six scenarios of issue #7 exist under their exact names and say what they promise.
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../../electron/scenario/scenarios';
import { scenario } from './scenario-checks';

const HOUR_MS = 3_600_000;
/** Hour of the day in Berlin summer time (UTC+2). */
const localHour = (utcMs: number): number => (new Date(utcMs).getUTCHours() + 2) % 24;

describe('scenario definitions', () => {
  it('has the six scenarios by name', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual([
      'sunny-day',
      'cloudy-day',
      'evening-peak',
      'night-outage',
      'noon-outage-full-battery',
      'device-failure-outage',
    ]);
  });

  it('runs the sunny and cloudy days for 24 h in their weather', () => {
    expect(scenario('sunny-day')).toMatchObject({ durationMs: 24 * HOUR_MS, weather: 'clear' });
    expect(scenario('cloudy-day')).toMatchObject({ durationMs: 24 * HOUR_MS, weather: 'cloudy' });
  });

  it('puts a 6-hour outage at night, a noon one on a full battery and a failure inside an outage', () => {
    const night = scenario('night-outage');
    const [outage] = night.outages;
    expect(outage!.endMs - outage!.startMs).toBe(6 * HOUR_MS);
    expect(localHour(night.startSimMs + outage!.startMs)).toBe(22);
    const noon = scenario('noon-outage-full-battery');
    expect(localHour(noon.startSimMs + noon.outages[0]!.startMs)).toBe(12);
    expect(noon.initialSocPct).toBeGreaterThanOrEqual(90);
    const failing = scenario('device-failure-outage');
    const [failure] = failing.failures;
    const [around] = failing.outages;
    expect(failure!.atMs).toBeGreaterThan(around!.startMs);
    expect(failure!.healMs).toBeLessThan(around!.endMs);
    for (const s of SCENARIOS)
      for (const o of s.outages) expect(o.endMs).toBeLessThan(s.durationMs);
  });
});
