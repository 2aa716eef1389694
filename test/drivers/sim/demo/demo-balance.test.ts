import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SELF_CONSUMPTION_STEP_W } from '../../../../drivers/sim/demo/demo-dispatch';
import {
  DAY_MS,
  HOUR_MS,
  MIN_MS,
  SUMMER_MS,
  balanceResidualW,
  expectConsistent,
  makeDemo,
  sumOf,
} from './demo-fixture';

describe('demo physics: power balance', () => {
  it('holds exactly in integers at every minute of a summer day, with real flows in it', () => {
    const model = makeDemo();
    let maxPvW = 0;
    let maxImportW = 0;
    let maxExportW = 0;
    let minBatteryW = 0;
    let maxBatteryW = 0;
    for (let t = SUMMER_MS; t <= SUMMER_MS + DAY_MS; t += MIN_MS) {
      const s = model.step(t);
      expectConsistent(s);
      maxPvW = Math.max(
        maxPvW,
        sumOf(s.pv, (p) => p.powerW),
      );
      maxImportW = Math.max(maxImportW, s.grid.powerW);
      maxExportW = Math.max(maxExportW, -s.grid.powerW);
      minBatteryW = Math.min(minBatteryW, s.battery.powerW);
      maxBatteryW = Math.max(maxBatteryW, s.battery.powerW);
    }
    // The balance is only worth checking if every term actually moved during the day.
    expect(maxPvW).toBeGreaterThan(25_000);
    expect(minBatteryW).toBeLessThan(-10_000);
    expect(maxBatteryW).toBeGreaterThan(1_000);
    expect(maxExportW).toBeGreaterThan(10_000);
    // Self-consumption with a half-full 100 kWh battery in June: only the control residual.
    expect(maxImportW).toBeLessThanOrEqual(SELF_CONSUMPTION_STEP_W / 2);
  });

  it('holds under random step sizes and random commands', () => {
    const command = fc.oneof(
      fc.record({
        kind: fc.constant('setpoint' as const),
        powerW: fc.integer({ min: -200_000, max: 200_000 }),
        revertAfterMs: fc.integer({ min: 1, max: 2 * HOUR_MS }),
      }),
      fc.record({ kind: fc.constant('clear' as const) }),
      fc.record({ kind: fc.constant('outage' as const), on: fc.boolean() }),
      fc.record({ kind: fc.constant('weather' as const), cloudy: fc.boolean() }),
    );
    const action = fc.record({
      dtMs: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: HOUR_MS })),
      command: fc.option(command),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 364 }),
        fc.integer(),
        fc.array(action, { minLength: 1, maxLength: 12 }),
        (day, seed, actions) => {
          const model = makeDemo({
            seed,
            startSimMs: Date.UTC(2025, 0, 1) + day * DAY_MS + 7 * HOUR_MS,
          });
          let t = model.simNowMs;
          for (const { dtMs, command: c } of actions) {
            if (c?.kind === 'setpoint')
              model.setBatterySetpoint(c.powerW, { revertAfterMs: c.revertAfterMs });
            if (c?.kind === 'clear') model.clearBatterySetpoint();
            if (c?.kind === 'outage') model.setOutage(c.on);
            if (c?.kind === 'weather') model.setWeather(c.cloudy ? 'cloudy' : 'clear');
            expect(balanceResidualW(model.state())).toBe(0);
            t += dtMs;
            expectConsistent(model.step(t));
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
