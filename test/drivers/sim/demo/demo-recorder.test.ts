// The simulator-side recorder on a run small enough to check by hand: one critical
// community member drawing a constant 1800 W, a 10 kWh lossless battery at 20 %, no PV.
//   0–60 s     battery charges 3600 W  → grid imports 5400 W (limit 5000: 60 cycles over)
//   60–120 s   battery discharges 3600 W → grid exports 1800 W (limit 1500: 60 cycles over)
//   120–2720 s outage: the battery carries 1800 W (1 Wh per 2 s) from 2000 Wh down to its
//              1000 Wh minimum in 2000 s, then 600 s with 1800 W unserved (300 Wh)
//   2720–2721 s grid back, the empty battery idles, the grid imports 1800 W
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDemoPhysics } from '../../../../drivers/sim/demo/demo-physics';
import { createDemoRecorder } from '../../../../drivers/sim/demo/demo-recorder';
import { parseDemoResources } from '../../../../drivers/sim/demo/demo-resources';
import { RESOURCES_DIR } from './demo-fixture';

const T0 = Date.UTC(2025, 5, 21, 12);
const S = 1000;

/** `neighbour`: a second, non-critical community member drawing another 1800 W. */
function tinySite(neighbour = false, battery: Record<string, number> = {}) {
  const site = JSON.parse(readFileSync(join(RESOURCES_DIR, 'demo-site.json'), 'utf8'));
  const coop = { ...site.members.at(-1), critical: true };
  site.members = neighbour ? [coop, { ...coop, id: 'hall', critical: false }] : [coop];
  site.feeders = [site.feeders[0]];
  site.devices = site.devices.filter((d: { id: string }) =>
    ['grid-meter', 'community-battery'].includes(d.id),
  );
  const physics = {
    schemaVersion: 1,
    devices: {
      'community-battery': {
        kind: 'battery',
        capacityWh: 10_000,
        maxChargeW: 5000,
        maxDischargeW: 5000,
        chargeEfficiency: 1,
        dischargeEfficiency: 1,
        minSocPct: 10,
        maxSocPct: 90,
        initialSocPct: 20,
        setpointRevertAfterMs: 3_600_000,
        ...battery,
      },
    },
    communityLoads: {
      'co-op': { nightPowerW: 0, basePowerW: 1800 },
      ...(neighbour ? { hall: { nightPowerW: 0, basePowerW: 1800 } } : {}),
    },
  };
  return parseDemoResources(JSON.stringify(site), JSON.stringify(physics));
}

const LIMITS = { importLimitW: 5000, exportLimitW: 1500, socMinLimitPct: 10, socMaxLimitPct: 90 };

function run(stepMs: number | null) {
  const { site, physics } = tinySite();
  const model = createDemoPhysics({ site, physics, seed: 1, startSimMs: T0 });
  const recorder = createDemoRecorder(model, LIMITS);
  const to = (ms: number): void => {
    if (stepMs === null) model.step(ms);
    else while (model.simNowMs < ms) model.step(Math.min(ms, model.simNowMs + stepMs));
  };
  model.scheduleOutage(T0 + 120 * S, T0 + 2720 * S);
  model.setBatterySetpoint(-3600, { revertAfterMs: 60 * S });
  to(T0 + 60 * S);
  model.setBatterySetpoint(3600, { revertAfterMs: 60 * S });
  to(T0 + 2721 * S);
  return { recorder, end: model.state() };
}

describe('demo recorder', () => {
  it('sums a hand-checked run exactly', () => {
    const { recorder, end } = run(S);
    expect(end.battery.socPct).toBe(10);
    expect(recorder.summary()).toEqual({
      fromMs: T0,
      toMs: T0 + 2721 * S,
      cycles: 2721,
      minSocPct: 10,
      maxSocPct: 20.6, // 2000 Wh + 60 Wh
      socMinLimitPct: 10,
      socMaxLimitPct: 90,
      maxImportW: 5400,
      importLimitW: 5000,
      maxExportW: 1800,
      exportLimitW: 1500,
      cyclesOverImportLimit: 60,
      cyclesOverExportLimit: 60,
      gridImportWh: 90, // 5400 W × 60 s + 1800 W × 1 s = 90.5 Wh
      gridExportWh: 30,
      unservedWh: 300,
      unservedByMemberWh: { 'co-op': 300 },
      criticalDemandWh: 1360, // 1800 W × 2721 s = 1360.5 Wh
      criticalUnservedWh: 300,
      criticalServableWh: 1060, // all of it but the 600 s with an empty battery
      criticalUnservedWhileServableWh: 0,
      outages: [{ startMs: T0 + 120 * S, endMs: T0 + 2720 * S }],
      writesReceived: 0,
      writesRefused: 0,
      envelopeViolations: 0,
      writesWithoutRevert: 0,
      powerBalanceMaxErrorW: 0,
      nonIntegerPowers: 0,
    });
  });

  it('gives the same summary however the run is stepped', () => {
    const fine = run(S).recorder.summary();
    expect(run(7 * S).recorder.summary()).toEqual(fine);
    expect(run(null).recorder.summary()).toEqual(fine);
  });

  it('counts critical energy lost although the island had enough for the critical member', () => {
    // Outage, battery limited to 1200 W, two members drawing 1800 W each: the island browns
    // out everyone alike (1200 W unserved each), though 1200 W would have covered most of
    // the critical member. Only the station's shedding could have saved it.
    const { site, physics } = tinySite(true, { maxDischargeW: 1200, initialSocPct: 50 });
    const model = createDemoPhysics({ site, physics, seed: 1, startSimMs: T0 });
    const recorder = createDemoRecorder(model, LIMITS);
    model.setOutage(true);
    model.step(T0 + 3600 * S);
    expect(recorder.summary()).toMatchObject({
      unservedWh: 2400,
      unservedByMemberWh: { 'co-op': 1200, hall: 1200 },
      criticalDemandWh: 1800,
      criticalServableWh: 1200,
      criticalUnservedWh: 1200,
      criticalUnservedWhileServableWh: 600, // 1200 W servable, 600 W delivered
      powerBalanceMaxErrorW: 0,
    });
  });
});
