import { describe, expect, it } from 'vitest';
import { SELF_CONSUMPTION_STEP_W } from '../../../../drivers/sim/demo/demo-dispatch';
import { DAY_MS, HOUR_MS, MIN_MS, SUMMER_MS, makeDemo } from './demo-fixture';
import type { DemoState } from '../../../../drivers/sim/demo/demo-state';
import type { DemoPhysics } from '../../../../drivers/sim/demo/demo-physics';

type Counter = { name: string; wh: (s: DemoState) => number; w: (s: DemoState) => number };

const pos = (w: number): number => Math.max(0, w);

function countersOf(s: DemoState): Counter[] {
  return [
    ...Object.keys(s.households).flatMap((id): Counter[] => [
      {
        name: `${id} import`,
        wh: (x) => x.households[id]?.energyImportWh ?? NaN,
        w: (x) => pos(x.households[id]?.netW ?? NaN),
      },
      {
        name: `${id} export`,
        wh: (x) => x.households[id]?.energyExportWh ?? NaN,
        w: (x) => pos(-(x.households[id]?.netW ?? NaN)),
      },
    ]),
    ...Object.keys(s.pv).map((id): Counter => ({
      name: `${id} produced`,
      wh: (x) => x.pv[id]?.energyProducedWh ?? NaN,
      w: (x) => x.pv[id]?.powerW ?? NaN,
    })),
    ...Object.keys(s.community).map((id): Counter => ({
      name: `${id} import`,
      wh: (x) => x.community[id]?.energyImportWh ?? NaN,
      w: (x) => x.community[id]?.loadW ?? NaN,
    })),
    {
      name: 'battery charged',
      wh: (x) => x.battery.energyChargedWh,
      w: (x) => pos(-x.battery.powerW),
    },
    {
      name: 'battery discharged',
      wh: (x) => x.battery.energyDischargedWh,
      w: (x) => pos(x.battery.powerW),
    },
    { name: 'grid import', wh: (x) => x.grid.energyImportWh, w: (x) => pos(x.grid.powerW) },
    { name: 'grid export', wh: (x) => x.grid.energyExportWh, w: (x) => pos(-x.grid.powerW) },
  ];
}

/**
 * Steps by `stepMs`, integrates each reported power over the step that follows it (the
 * model holds powers for a tick, so with stepMs = tickMs this is the exact integral), and
 * checks each counter is monotonic, integer and within 1 Wh of that integral.
 */
function checkCounters(
  model: DemoPhysics,
  stepMs: number,
  durationMs: number,
  act?: (t: number) => void,
) {
  let s = model.state();
  const counters = countersOf(s);
  const integralWh = counters.map(() => 0);
  const startWh = counters.map((c) => c.wh(s));
  let previousWh = startWh;
  const endMs = model.simNowMs + durationMs;
  while (model.simNowMs < endMs) {
    act?.(model.simNowMs);
    s = model.state();
    counters.forEach(
      (c, i) => (integralWh[i] = (integralWh[i] ?? 0) + (c.w(s) * stepMs) / 3_600_000),
    );
    s = model.step(model.simNowMs + stepMs);
    const nowWh = counters.map((c) => c.wh(s));
    nowWh.forEach((wh, i) => {
      if (!Number.isInteger(wh) || wh < (previousWh[i] ?? 0))
        throw new Error(`${counters[i]?.name} went from ${previousWh[i]} to ${wh}`);
    });
    previousWh = nowWh;
  }
  counters.forEach((c, i) => {
    const countedWh = (previousWh[i] ?? 0) - (startWh[i] ?? 0);
    expect(Math.abs(countedWh - (integralWh[i] ?? 0)), c.name).toBeLessThanOrEqual(1);
  });
  return { counters, integralWh };
}

describe('demo physics: energy counters', () => {
  it('are monotonic and match the integral of power within 1 Wh over a morning in 1 s steps', () => {
    const model = makeDemo({ startSimMs: SUMMER_MS + 3 * HOUR_MS });
    const { counters, integralWh } = checkCounters(model, 1000, 4 * HOUR_MS);
    // The morning has PV, household import and export, and battery charging: no counter idles.
    const moved = counters.filter((_, i) => (integralWh[i] ?? 0) > 10).map((c) => c.name);
    expect(moved).toEqual(
      expect.arrayContaining([
        'pv-01 produced',
        'meter-01 export',
        'meter-03 import',
        'battery charged',
        'battery discharged',
      ]),
    );
  });

  it('match over a whole day with 1-minute ticks, through an outage and setpoints', () => {
    const model = makeDemo({ tickMs: MIN_MS });
    const { counters, integralWh } = checkCounters(model, MIN_MS, DAY_MS, (t) => {
      const hour = (t - SUMMER_MS) / HOUR_MS;
      if (hour === 9) model.setBatterySetpoint(40_000, { revertAfterMs: 2 * HOUR_MS });
      if (hour === 18) model.setOutage(true);
      if (hour === 20) model.setOutage(false);
    });
    const gridImport = counters.findIndex((c) => c.name === 'grid import');
    const gridExport = counters.findIndex((c) => c.name === 'grid export');
    // Only the self-consumption control residual (≤ half a step) is imported all day.
    expect(integralWh[gridImport]).toBeLessThan((SELF_CONSUMPTION_STEP_W / 2) * 24);
    expect(integralWh[gridExport]).toBeGreaterThan(50_000);
  });

  it('lose nothing to rounding: a thousand 1 ms steps count like one 1 s step', () => {
    const a = makeDemo({ startSimMs: SUMMER_MS + 12 * HOUR_MS });
    const b = makeDemo({ startSimMs: SUMMER_MS + 12 * HOUR_MS });
    for (let i = 1; i <= 3_600_000; i += 997) a.step(SUMMER_MS + 12 * HOUR_MS + i);
    const sa = a.step(SUMMER_MS + 13 * HOUR_MS);
    const sb = b.step(SUMMER_MS + 13 * HOUR_MS);
    expect(sa.pv['pv-01']?.energyProducedWh).toBeGreaterThan(4_000);
    expect(sa).toEqual(sb);
  });

  it('refuse to run time backwards or on fractional milliseconds', () => {
    const model = makeDemo();
    model.step(SUMMER_MS + MIN_MS);
    expect(() => model.step(SUMMER_MS)).toThrow(RangeError);
    expect(() => model.step(SUMMER_MS + MIN_MS + 0.5)).toThrow(RangeError);
    expect(model.step(SUMMER_MS + MIN_MS).simNowMs).toBe(SUMMER_MS + MIN_MS); // dt = 0 is fine
  });
});
