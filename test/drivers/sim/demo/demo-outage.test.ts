import { describe, expect, it } from 'vitest';
import {
  HOUR_MS,
  MIN_MS,
  SUMMER_MS,
  WINTER_MS,
  batteryPhysics,
  expectConsistent,
  makeDemo,
  sumOf,
} from './demo-fixture';

describe('demo physics: grid outage', () => {
  it('at night: the grid supplies nothing, reads 0 V / 0 Hz, and the battery carries the site', () => {
    const model = makeDemo({ startSimMs: SUMMER_MS + 21 * HOUR_MS });
    const before = model.state();
    expect(before.grid.voltageV).toBeGreaterThan(220);
    expect(before.grid.frequencyHz).toBeGreaterThan(49.9);
    model.setOutage(true);
    for (let t = model.simNowMs; t <= SUMMER_MS + 23 * HOUR_MS; t += MIN_MS) {
      const s = model.step(t);
      expectConsistent(s);
      expect(s.grid).toMatchObject({ powerW: 0, voltageV: 0, frequencyHz: 0, outage: true });
      expect(s.battery.mode).toBe('grid-forming');
      expect(s.unservedW).toBe(0);
      expect(s.battery.powerW).toBe(
        sumOf(s.households, (h) => h.netW) + sumOf(s.community, (c) => c.loadW),
      );
    }
    const during = model.state();
    model.setOutage(false);
    const after = model.step(model.simNowMs + MIN_MS);
    expect(after.grid.outage).toBe(false);
    expect(after.grid.voltageV).toBeGreaterThan(220);
    expect(after.battery.mode).toBe('self-consumption');
    expect(after.grid.energyImportWh).toBe(during.grid.energyImportWh); // nothing counted while out
  });

  it('with an empty battery: everything the site needs is reported unserved', () => {
    const model = makeDemo({
      startSimMs: WINTER_MS + 20 * HOUR_MS,
      physics: batteryPhysics({ initialSocPct: 10 }),
    });
    model.setOutage(true);
    const s = model.step(model.simNowMs + MIN_MS);
    expectConsistent(s);
    const demandW = sumOf(s.households, (h) => h.netW) + sumOf(s.community, (c) => c.loadW);
    expect(demandW).toBeGreaterThan(1_000);
    expect(s.battery).toMatchObject({ powerW: 0, limitedBy: 'soc-min' });
    expect(s.unservedW).toBe(demandW);
  });

  it('beyond the inverter rating: the battery gives its maximum and the rest is unserved', () => {
    const model = makeDemo({
      startSimMs: WINTER_MS + 18 * HOUR_MS,
      physics: batteryPhysics({ maxDischargeW: 2_000 }),
    });
    model.setOutage(true);
    const s = model.step(model.simNowMs + MIN_MS);
    expectConsistent(s);
    expect(s.battery).toMatchObject({ powerW: 2_000, limitedBy: 'max-discharge' });
    expect(s.unservedW).toBeGreaterThan(0);
  });

  it('at noon with a full battery: surplus PV is curtailed, not exported', () => {
    const model = makeDemo({
      startSimMs: SUMMER_MS + 11 * HOUR_MS,
      physics: batteryPhysics({ initialSocPct: 95 }),
    });
    const available = sumOf(model.state().pv, (p) => p.powerW);
    model.setOutage(true);
    const s = model.step(model.simNowMs + MIN_MS);
    expectConsistent(s);
    const loadW = sumOf(s.households, (h) => h.loadW) + sumOf(s.community, (c) => c.loadW);
    expect(s.battery.powerW).toBe(0);
    expect(s.curtailedPvW).toBeGreaterThan(20_000);
    // PV now exactly covers the load.
    expect(sumOf(s.pv, (p) => p.powerW)).toBe(loadW);
    expect(sumOf(s.pv, (p) => p.powerW) + s.curtailedPvW).toBeCloseTo(available, -3);
  });

  it('at noon with room in the battery: the battery soaks up the surplus, nothing curtailed', () => {
    const model = makeDemo({
      startSimMs: SUMMER_MS + 11 * HOUR_MS,
      physics: batteryPhysics({ initialSocPct: 40 }),
    });
    model.setOutage(true);
    const s = model.step(model.simNowMs + MIN_MS);
    expectConsistent(s);
    expect(s.battery.powerW).toBeLessThan(-20_000);
    expect(s.curtailedPvW).toBe(0);
  });

  it('ignores an active setpoint while islanded and honours it again afterwards', () => {
    const model = makeDemo({ startSimMs: SUMMER_MS + 22 * HOUR_MS });
    model.setBatterySetpoint(-10_000, { revertAfterMs: HOUR_MS });
    model.setOutage(true);
    const islanded = model.step(model.simNowMs + MIN_MS);
    expect(islanded.battery.mode).toBe('grid-forming');
    expect(islanded.battery.powerW).toBeGreaterThan(0);
    model.setOutage(false);
    const back = model.step(model.simNowMs + MIN_MS);
    expect(back.battery).toMatchObject({ mode: 'setpoint', powerW: -10_000 });
  });
});
