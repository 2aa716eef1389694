import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  HOUR_MS,
  MIN_MS,
  SUMMER_MS,
  WINTER_MS,
  batteryPhysics,
  expectConsistent,
  makeDemo,
} from './demo-fixture';
import type { DemoState } from '../../../../drivers/sim/demo/demo-state';
import { SELF_CONSUMPTION_STEP_W } from '../../../../drivers/sim/demo/demo-dispatch';

const inWindow = (s: DemoState): boolean => s.battery.socPct >= 10 && s.battery.socPct <= 95;

describe('demo physics: community battery', () => {
  it('in self-consumption fills to the top of its window in June and holds the grid within half a control step of zero meanwhile', () => {
    const model = makeDemo();
    let sawFull = false;
    for (let t = SUMMER_MS; t <= SUMMER_MS + 2 * DAY_MS; t += MIN_MS) {
      const s = model.step(t);
      expect(inWindow(s), `SoC ${s.battery.socPct} at ${t}`).toBe(true);
      expect(s.battery.mode).toBe('self-consumption');
      if (s.battery.limitedBy === null)
        expect(Math.abs(s.grid.powerW)).toBeLessThanOrEqual(SELF_CONSUMPTION_STEP_W / 2);
      if (s.battery.limitedBy === 'soc-max') {
        sawFull = true;
        expect(s.battery.socPct).toBe(95);
        expect(s.grid.powerW).toBeLessThan(0); // the surplus now goes to the grid
      }
    }
    expect(sawFull).toBe(true);
  });

  it('in self-consumption empties to the bottom of its window in December and then imports', () => {
    const model = makeDemo({
      startSimMs: WINTER_MS,
      physics: batteryPhysics({ initialSocPct: 20 }),
    });
    let sawEmpty = false;
    for (let t = WINTER_MS; t <= WINTER_MS + 3 * DAY_MS; t += MIN_MS) {
      const s = model.step(t);
      expect(inWindow(s), `SoC ${s.battery.socPct}`).toBe(true);
      if (s.battery.limitedBy === 'soc-min') {
        sawEmpty = true;
        expect(s.battery.socPct).toBe(10);
        expect(s.grid.powerW).toBeGreaterThan(0);
      }
    }
    expect(sawEmpty).toBe(true);
  });

  it('keeps SoC in its window under absurd setpoints, reporting the clamp', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            powerW: fc.double({ min: -1e12, max: 1e12, noNaN: true }),
            holdMs: fc.integer({ min: 1, max: 3 * HOUR_MS }),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        (commands) => {
          const model = makeDemo({ startSimMs: SUMMER_MS + 9 * HOUR_MS });
          for (const { powerW, holdMs } of commands) {
            model.setBatterySetpoint(powerW, { revertAfterMs: holdMs + 1 });
            const s = model.step(model.simNowMs + holdMs);
            expectConsistent(s);
            expect(inWindow(s)).toBe(true);
            expect(s.battery.mode).toBe('setpoint');
            expect(s.battery.setpointW).toBe(powerW);
            if (Math.abs(powerW) > 50_000) expect(s.battery.limitedBy).not.toBeNull();
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('clamps a huge discharge to its rating, then to the SoC floor', () => {
    const model = makeDemo({ startSimMs: SUMMER_MS + 20 * HOUR_MS });
    model.setBatterySetpoint(1e9, { revertAfterMs: 10 * HOUR_MS });
    const first = model.step(model.simNowMs);
    expect(first.battery.powerW).toBe(50_000);
    expect(first.battery.limitedBy).toBe('max-discharge');
    expect(first.grid.powerW).toBeLessThan(-40_000); // the rest is exported
    const later = model.step(model.simNowMs + 2 * HOUR_MS);
    expect(later.battery.socPct).toBe(10);
    expect(later.battery.powerW).toBe(0);
    expect(later.battery.limitedBy).toBe('soc-min');
  });

  it('loses energy both ways: 10 kW for an hour moves SoC by 10 kWh × η in, 10 kWh ÷ η out', () => {
    const model = makeDemo({ startSimMs: SUMMER_MS });
    model.setBatterySetpoint(-10_000, { revertAfterMs: HOUR_MS });
    let s = model.step(SUMMER_MS + HOUR_MS);
    expect(s.battery.socPct).toBeCloseTo(50 + 10 * 0.96, 2);
    expect(s.battery.energyChargedWh).toBe(10_000);
    model.setBatterySetpoint(10_000, { revertAfterMs: HOUR_MS });
    s = model.step(SUMMER_MS + 2 * HOUR_MS);
    expect(s.battery.socPct).toBeCloseTo(50 + 10 * 0.96 - 10 / 0.96, 2);
    expect(s.battery.energyDischargedWh).toBe(10_000);
  });

  it('reverts to self-consumption exactly when the setpoint lapses, unless it is re-sent', () => {
    // Night, so self-consumption would discharge; off the tick grid so the deadline falls mid-tick.
    const start = SUMMER_MS + 22 * HOUR_MS + 250;
    const model = makeDemo({ startSimMs: start });
    model.setBatterySetpoint(-20_000, { revertAfterMs: 30_000 });
    expect(model.step(start + 29_999).battery).toMatchObject({
      mode: 'setpoint',
      powerW: -20_000,
      setpointRevertAtMs: start + 30_000,
    });
    const reverted = model.step(start + 30_000);
    expect(reverted.battery).toMatchObject({
      mode: 'self-consumption',
      setpointW: null,
      setpointRevertAtMs: null,
    });
    expect(reverted.battery.powerW).toBeGreaterThan(0);
    expect(Math.abs(reverted.grid.powerW)).toBeLessThanOrEqual(SELF_CONSUMPTION_STEP_W / 2);
    // Re-sending before the deadline keeps it alive; the timer restarts each time.
    model.setBatterySetpoint(-5_000, { revertAfterMs: 30_000 });
    model.step(start + 55_000);
    model.setBatterySetpoint(-5_000, { revertAfterMs: 30_000 });
    expect(model.step(start + 84_999).battery.mode).toBe('setpoint');
    expect(model.step(start + 85_000).battery.mode).toBe('self-consumption');
  });

  it('lapses mid-step: a long step past the deadline charges only until the deadline', () => {
    // Off the 1 s tick grid on purpose: the deadline falls inside a tick.
    const start = SUMMER_MS + 22 * HOUR_MS + 500;
    const model = makeDemo({ startSimMs: start });
    model.setBatterySetpoint(-36_000, { revertAfterMs: 10_000 }); // 36 kW for 10 s = 100 Wh
    const s = model.step(start + HOUR_MS);
    expect(s.battery.energyChargedWh).toBe(100);
    expect(s.battery.mode).toBe('self-consumption');
  });

  it('uses the default revert time from the physics file', () => {
    const model = makeDemo({
      startSimMs: SUMMER_MS,
      physics: batteryPhysics({ setpointRevertAfterMs: 5_000 }),
    });
    model.setBatterySetpoint(1_000);
    expect(model.step(SUMMER_MS + 4_999).battery.mode).toBe('setpoint');
    expect(model.step(SUMMER_MS + 5_000).battery.mode).toBe('self-consumption');
  });

  it('rejects setpoints that are not numbers', () => {
    const model = makeDemo();
    expect(() => model.setBatterySetpoint(Number.NaN)).toThrow(RangeError);
    expect(() => model.setBatterySetpoint(1000, { revertAfterMs: 0 })).toThrow(/revertAfterMs/);
  });
});
