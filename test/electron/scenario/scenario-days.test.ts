// Scenarios without an outage, shortened (see scenario-checks.ts): the station's real
// pollers and control cycle in lockstep with the demo, checked on the simulator side.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../electron/scenario/scenario-runner';
import { expectDoneWhen, shortened } from './scenario-checks';

const TIMEOUT_MS = 120_000;

describe('scenarios on the grid', () => {
  it(
    'sunny-day, 11:00–11:45: PV surplus into the battery, export within its limit',
    async () => {
      const s = await runScenario(shortened('sunny-day', 11 * 60, 45));
      expectDoneWhen(s);
      expect(s.maxSocPct).toBeGreaterThan(s.minSocPct ?? 100);
      expect(s.writesSent).toBeGreaterThan(0);
    },
    TIMEOUT_MS,
  );

  it(
    'cloudy-day, 12:00–12:45: passing clouds, the battery covers the gaps',
    async () => {
      const s = await runScenario(shortened('cloudy-day', 12 * 60, 45));
      expectDoneWhen(s);
      expect(s.weather).toBe('cloudy');
    },
    TIMEOUT_MS,
  );

  it(
    'evening-peak, 18:30–19:15 on a 12 kW import limit: peak shaving holds it',
    async () => {
      const s = await runScenario(shortened('evening-peak', 150, 45));
      expectDoneWhen(s);
      expect(s.importLimitW).toBe(12_000);
      expect(s.maxImportW).toBeLessThanOrEqual(12_000);
    },
    TIMEOUT_MS,
  );
});
