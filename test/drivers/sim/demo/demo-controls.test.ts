// The demo physics under the station's controls, without Modbus: PV limits and battery
// windows lapse exactly on their deadline, a window keeps the battery's own control inside
// it, the reserve holds while grid-connected but not in an island, and switchable loads
// sit behind their member's meter.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apportion } from '../../../../drivers/sim/demo/demo-unserved';
import { loadDemoResources, parseDemoResources } from '../../../../drivers/sim/demo/demo-resources';
import { createDemoPhysics } from '../../../../drivers/sim/demo/demo-physics';
import {
  HOUR_MS,
  MIN_MS,
  RESOURCES_DIR,
  SUMMER_MS,
  WINTER_MS,
  expectConsistent,
  makeDemo,
  sumOf,
} from './demo-fixture';

const NOON = SUMMER_MS + 11 * HOUR_MS;

describe('demo physics: PV power limits', () => {
  it('cap each inverter at its % of rating and lapse exactly on the deadline, mid-tick', () => {
    const model = makeDemo({ startSimMs: NOON + 300 });
    model.setPvLimit('pv-05', 50, { revertAfterMs: 10_000 });
    let s = model.step(NOON + 10_299);
    expectConsistent(s);
    expect(s.pv['pv-05']).toMatchObject({
      powerW: 4000,
      limitPct: 50,
      limitRevertAtMs: NOON + 10_300,
    });
    s = model.step(NOON + 10_300);
    expect(s.pv['pv-05']!.limitPct).toBeNull();
    expect(s.pv['pv-05']!.powerW).toBeGreaterThan(4000);
    expect(() => model.setPvLimit('pv-05', 101)).toThrow(RangeError);
    expect(() => model.setPvLimit('meter-01', 50)).toThrow(/no PV inverter/);
  });
});

describe('demo physics: battery window', () => {
  it('holds self-consumption inside the window: a discharge cap leaves the rest to the grid', () => {
    const model = makeDemo({ startSimMs: SUMMER_MS + 22 * HOUR_MS });
    const free = model.step(model.simNowMs + MIN_MS).battery.powerW;
    expect(free).toBeGreaterThan(1500);
    model.setBatteryWindow({ minW: -50_000, maxW: 1000 }, { revertAfterMs: null });
    const s = model.step(model.simNowMs + HOUR_MS);
    expectConsistent(s);
    expect(s.battery).toMatchObject({ mode: 'setpoint', powerW: 1000, setpointW: null });
    expect(s.battery.window).toEqual({ minW: -50_000, maxW: 1000 });
    expect(s.grid.powerW).toBeGreaterThan(1000);
  });

  it('keeps the reserve while grid-connected and gives it to the island', () => {
    const model = makeDemo({ startSimMs: WINTER_MS + 20 * HOUR_MS });
    model.setBatteryReserve(50); // the battery starts at 50 %
    let s = model.step(model.simNowMs + MIN_MS);
    expect(s.battery).toMatchObject({ powerW: 0, limitedBy: 'soc-min', reservePct: 50 });
    model.setOutage(true);
    s = model.step(model.simNowMs + MIN_MS);
    expect(s.battery.powerW).toBeGreaterThan(0);
    expect(s.unservedW).toBe(0);
  });

  it('charges no faster than WChaMax, even when told to charge at full rate', () => {
    const model = makeDemo({ startSimMs: SUMMER_MS + 22 * HOUR_MS });
    model.setBatteryChargeCap(7000);
    model.setBatterySetpoint(-40_000, { revertAfterMs: HOUR_MS });
    expect(model.step(model.simNowMs + MIN_MS).battery).toMatchObject({
      powerW: -7000,
      limitedBy: 'max-charge',
      chargeCapW: 7000,
    });
  });
});

describe('demo physics: switchable loads', () => {
  const withLoads = loadDemoResources(RESOURCES_DIR);

  it('are part of the default demo (4 on port 1507, one critical) unless left out', () => {
    const loads = withLoads.site.devices.filter((d) => d.role === 'switchable-load');
    expect(withLoads.site.devices).toHaveLength(25);
    expect(loads.map((d) => [d.id, d.url, d.profile])).toEqual(
      [1, 2, 3, 4].map((unit) => [
        `load-0${unit}`,
        `modbus-tcp://127.0.0.1:1507?unit=${unit}`,
        'microgrid-load-switch',
      ]),
    );
    const critical = new Set(withLoads.site.members.filter((m) => m.critical).map((m) => m.id));
    expect(loads.filter((d) => critical.has(d.memberId ?? '')).map((d) => d.id)).toEqual([
      'load-04',
    ]);
    const without = loadDemoResources(RESOURCES_DIR, undefined, { switchableLoads: false });
    expect(without.site.devices).toHaveLength(21);
    expect(without.site.devices.some((d) => d.role === 'switchable-load')).toBe(false);
    expect(Object.keys(without.physics.devices).some((id) => id.startsWith('load-'))).toBe(false);
  });

  it('add to their member while on, and switching one off removes exactly its power', () => {
    const model = createDemoPhysics({
      ...withLoads,
      seed: 7,
      startSimMs: WINTER_MS + 18 * HOUR_MS,
    });
    const plain = makeDemo({ startSimMs: WINTER_MS + 18 * HOUR_MS }).state();
    let s = model.state();
    expectConsistent(s);
    expect(s.households['meter-07']!.loadW).toBe(plain.households['meter-07']!.loadW + 400);
    expect(s.households['meter-07']!.critical).toBe(true);
    model.setLoadSwitch('load-01', false);
    s = model.state();
    expect(s.households['meter-05']!.loadW).toBe(plain.households['meter-05']!.loadW);
    expect(s.switchableLoads['load-01']).toMatchObject({ on: false, powerW: 0, ratedPowerW: 3000 });
    expect(sumOf(s.switchableLoads, (l) => l.powerW)).toBe(2000 + 7400 + 400);
  });

  it('must belong to a member the model can place', () => {
    const site = JSON.parse(readFileSync(join(RESOURCES_DIR, 'demo-site.json'), 'utf8'));
    const loads = JSON.parse(
      readFileSync(join(RESOURCES_DIR, 'demo-switchable-loads.json'), 'utf8'),
    );
    loads.devices[0].memberId = null;
    expect(() =>
      parseDemoResources(
        JSON.stringify(site),
        readFileSync(join(RESOURCES_DIR, 'demo-physics.json'), 'utf8'),
        JSON.stringify(loads),
      ),
    ).toThrow(/load-01.*switchable load must belong/);
  });
});

describe('apportion', () => {
  it('splits whole watts in proportion, adding up exactly', () => {
    expect(apportion([100, 100, 100], 100)).toEqual([34, 33, 33]);
    expect(apportion([0, 500, 1500], 1001)).toEqual([0, 250, 751]);
    expect(apportion([0, 0], 10)).toEqual([0, 0]);
    expect(apportion([300, 100], 1000)).toEqual([300, 100]); // never more than drawn
  });
});
