// Shared set-up for the demo physics tests: the real demo resources, a model factory and
// the checks every state must pass.
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import {
  createDemoPhysics,
  type DemoPhysicsOptions,
} from '../../../../drivers/sim/demo/demo-physics';
import { loadDemoResources } from '../../../../drivers/sim/demo/demo-resources';
import type { DemoState } from '../../../../drivers/sim/demo/demo-state';
import type { BatteryPhysics } from '../../../../drivers/sim/demo/demo-physics-config';

export const RESOURCES_DIR = fileURLToPath(new URL('../../../../resources/demo/', import.meta.url));
/**
 * The demo without its switchable loads: these tests' numbers (battery energy, curtailment,
 * balance) were set on the households alone; the loads have their own tests.
 */
export const demo = loadDemoResources(RESOURCES_DIR, undefined, { switchableLoads: false });

export const MIN_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Midnight UTC at the June solstice and in mid-winter. */
export const SUMMER_MS = Date.UTC(2025, 5, 21);
export const WINTER_MS = Date.UTC(2025, 11, 21);

export function batteryPhysics(
  overrides: Partial<BatteryPhysics> = {},
): DemoPhysicsOptions['physics'] {
  const battery = demo.physics.devices['community-battery'];
  if (battery?.kind !== 'battery') throw new Error('demo physics lost its battery');
  return {
    ...demo.physics,
    devices: { ...demo.physics.devices, 'community-battery': { ...battery, ...overrides } },
  };
}

export function makeDemo(overrides: Partial<DemoPhysicsOptions> = {}) {
  return createDemoPhysics({
    site: demo.site,
    physics: demo.physics,
    seed: 7,
    startSimMs: SUMMER_MS,
    ...overrides,
  });
}

export const sumOf = <T>(record: Record<string, T>, pick: (item: T) => number): number =>
  Object.values(record).reduce((total, item) => total + pick(item), 0);

/** Demand at the household meters and community loads minus what grid, battery and unserved account for. */
export function balanceResidualW(s: DemoState): number {
  const demandW = sumOf(s.households, (h) => h.netW) + sumOf(s.community, (c) => c.loadW);
  return demandW - (s.grid.powerW + s.battery.powerW + s.unservedW);
}

export function allPowersW(s: DemoState): number[] {
  return [
    ...Object.values(s.households).flatMap((h) => [h.loadW, h.pvW, h.netW]),
    ...Object.values(s.pv).map((p) => p.powerW),
    ...Object.values(s.community).map((c) => c.loadW),
    s.battery.powerW,
    s.grid.powerW,
    s.unservedW,
    s.curtailedPvW,
  ];
}

/** Invariants that hold in every state, whatever the commands. */
export function expectConsistent(s: DemoState): void {
  for (const w of allPowersW(s)) expect(Number.isInteger(w), `non-integer power ${w}`).toBe(true);
  expect(balanceResidualW(s)).toBe(0);
  for (const h of Object.values(s.households)) {
    expect(h.netW).toBe(h.loadW - h.pvW);
    expect(h.loadW).toBeGreaterThanOrEqual(0);
  }
  for (const [id, pv] of Object.entries(s.pv)) {
    expect(pv.powerW, id).toBeGreaterThanOrEqual(0);
    expect(pv.powerW, id).toBeLessThanOrEqual(pv.ratedPowerW);
  }
  expect(s.battery.powerW).toBeLessThanOrEqual(s.battery.maxDischargeW);
  expect(s.battery.powerW).toBeGreaterThanOrEqual(-s.battery.maxChargeW);
  expect(s.battery.socPct).toBeGreaterThanOrEqual(0);
  expect(s.battery.socPct).toBeLessThanOrEqual(100);
  expect(s.unservedW).toBeGreaterThanOrEqual(0);
  if (s.grid.outage) expect(s.grid.powerW).toBe(0);
  else expect(s.unservedW).toBe(0);
}
