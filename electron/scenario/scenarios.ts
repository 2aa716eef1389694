// The six scenarios of issue #7 on the demo site (Riverside Housing Co-op, Berlin, UTC+2
// in summer). All on 21 June 2025 unless said: long days make PV surplus, export limits and
// a full battery happen; the same seed makes every run of a scenario identical.
import type { ScenarioDefinition } from './scenario-types';

const HOUR_MS = 3_600_000;
/** UTC ms of a local (UTC+2, CEST) wall-clock time on 21 June 2025. */
const june21 = (hour: number, minute = 0): number => Date.UTC(2025, 5, 21, hour - 2, minute);

export const SCENARIOS: readonly ScenarioDefinition[] = [
  {
    name: 'sunny-day',
    description:
      'a clear midsummer day from midnight: PV surplus charges the battery, export limited',
    startSimMs: june21(0),
    durationMs: 24 * HOUR_MS,
    weather: 'clear',
    outages: [],
    failures: [],
  },
  {
    name: 'cloudy-day',
    description:
      'an overcast day from midnight: PV swings as clouds pass, the battery covers the gaps',
    startSimMs: june21(0),
    durationMs: 24 * HOUR_MS,
    weather: 'cloudy',
    outages: [],
    failures: [],
  },
  {
    name: 'evening-peak',
    // A tight connection (12 kW, as on a weak rural feeder) so the evening peak (up to
    // 17.5 kW) needs the battery: with the demo's own 60 kW limit peak shaving never acts.
    // The battery starts at 80 % and the site runs peak shaving without self-consumption,
    // as a site on a tight connection would: with the default strategies self-consumption
    // spends the battery on the early evening (grid → 0 W) and it reaches the 30 % outage
    // reserve before the peak is over (full run: 5 660 cycles over the limit).
    description: '16:00 to midnight on a 12 kW import limit: peak shaving discharges the battery',
    startSimMs: june21(16),
    durationMs: 8 * HOUR_MS,
    weather: 'clear',
    outages: [],
    failures: [],
    grid: { importLimitW: 12_000 },
    initialSocPct: 80,
    strategies: ['peak-shaving', 'export-limit', 'outage-reserve'],
  },
  {
    name: 'night-outage',
    description:
      'a 6-hour grid outage from 22:00: island on the battery alone, loads shed by priority',
    startSimMs: june21(21),
    durationMs: 9 * HOUR_MS,
    weather: 'clear',
    outages: [{ startMs: 1 * HOUR_MS, endMs: 7 * HOUR_MS }],
    failures: [],
  },
  {
    name: 'noon-outage-full-battery',
    description: 'a 2-hour outage at noon with the battery nearly full: PV curtailed to protect it',
    startSimMs: june21(11),
    durationMs: 4 * HOUR_MS,
    weather: 'clear',
    outages: [{ startMs: 1 * HOUR_MS, endMs: 3 * HOUR_MS }],
    failures: [],
    initialSocPct: 93,
  },
  {
    name: 'device-failure-outage',
    description:
      'a 3-hour outage from 18:00; the largest PV inverter goes silent for an hour in it',
    startSimMs: june21(17),
    durationMs: 5 * HOUR_MS,
    weather: 'clear',
    outages: [{ startMs: 1 * HOUR_MS, endMs: 4 * HOUR_MS }],
    failures: [{ deviceId: 'pv-05', atMs: 2 * HOUR_MS, healMs: 3 * HOUR_MS }],
  },
];

export function findScenario(name: string): ScenarioDefinition | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
