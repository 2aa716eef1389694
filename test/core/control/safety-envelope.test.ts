// Worked examples of the safety envelope. Defaults: ramp 2000 W/s, min interval 500 ms,
// lifetime 30 s (rewrite after 15 s), SoC window 10–95 %.
import { describe, expect, it } from 'vitest';
import type { LastWrite } from '../../../core/control/envelope-types';
import { applyEnvelope } from '../../../core/control/safety-envelope';
import type { Setpoint } from '../../../core/control/setpoint-types';
import {
  batteryAt,
  config,
  gridAt,
  SITE,
  T0,
  view,
  type SnapshotOptions,
  type Values,
} from './support';

const battery = (powerW: number): Setpoint => ({ kind: 'battery', deviceId: 'bat1', powerW });
const pv = (limitPct: number): Setpoint => ({ kind: 'pv-limit', deviceId: 'pv1', limitPct });
const load = (deviceId: string, on: boolean): Setpoint => ({ kind: 'load', deviceId, on });
const written = (setpoint: Setpoint, writtenMs: number): LastWrite => ({
  setpoint,
  writtenMs,
  revertSeconds: 30,
  rewriteDueMs: writtenMs + 15_000,
});

function run(
  values: Values,
  requests: Setpoint[],
  opts: {
    nowMs?: number;
    last?: Record<string, LastWrite>;
    snap?: SnapshotOptions;
    gridForming?: boolean;
  } = {},
) {
  const snap = view(SITE, opts.nowMs ?? T0, { grid: gridAt(0), ...values }, opts.snap);
  return applyEnvelope(
    snap,
    config({ soc: { minPct: 10, maxPct: 95, taperPct: 5 } }),
    opts.last ?? {},
    requests,
    {
      batteryGridForming: opts.gridForming ?? false,
    },
  );
}

describe('battery limits', () => {
  it('nameplate: 8000 W asked of a 5000 W battery measured at 4500 → 5000 W', () => {
    const r = run({ bat1: batteryAt(4500, 50) }, [battery(8000)]);
    expect(r.writes).toEqual([
      { deviceId: 'bat1', setpoint: battery(5000), revertSeconds: 30, rewriteDueMs: T0 + 15_000 },
    ]);
    expect(r.decisions[0]?.reasons).toEqual(['nameplate']);
    expect(r.decisions[0]?.limits).toEqual({ maxChargeW: 5000, maxDischargeW: 5000 });
  });

  it('BMS: max discharge 3000 W below the 5000 W rating → 3000 W', () => {
    const r = run({ bat1: { ...batteryAt(3000, 50), maxDischargeW: 3000 } }, [battery(4000)]);
    expect(r.writes[0]?.setpoint).toEqual(battery(3000));
    expect(r.decisions[0]?.reasons).toEqual(['bms']);
  });

  it('SoC window: no discharge at 10 %, no charge at 95 %, half power at 12.5 % (taper 5 %)', () => {
    expect(run({ bat1: batteryAt(0, 10) }, [battery(2000)]).decisions[0]).toMatchObject({
      applied: battery(0),
      reasons: ['soc_min'],
    });
    expect(run({ bat1: batteryAt(0, 95) }, [battery(-2000)]).decisions[0]).toMatchObject({
      applied: battery(0),
      reasons: ['soc_max'],
    });
    const taper = run({ bat1: batteryAt(2500, 12.5) }, [battery(4000)]);
    expect(taper.writes[0]?.setpoint).toEqual(battery(2500));
    expect(taper.decisions[0]?.reasons).toEqual(['soc_taper']);
  });

  it('stale power or SoC: 0 W whatever was asked', () => {
    const r = run({ bat1: batteryAt(2000, 50) }, [battery(3000)], {
      snap: { stale: ['bat1.socPct'] },
    });
    expect(r.writes[0]?.setpoint).toEqual(battery(0));
    expect(r.decisions[0]?.reasons).toEqual(['stale']);
  });

  it('NaN asked → 0 W (invalid_request)', () => {
    const r = run({ bat1: batteryAt(0, 50) }, [battery(Number.NaN)]);
    expect(r.writes[0]?.setpoint).toEqual(battery(0));
    expect(r.decisions[0]?.reasons).toEqual(['invalid_request']);
  });
});

describe('ramp and timing', () => {
  it('ramp: last write 1000 W one second ago, 5000 asked → 3000 W (2000 W/s)', () => {
    const r = run({ bat1: batteryAt(1000, 50) }, [battery(5000)], {
      nowMs: T0 + 1000,
      last: { bat1: written(battery(1000), T0) },
    });
    expect(r.writes[0]?.setpoint).toEqual(battery(3000));
    expect(r.decisions[0]?.reasons).toEqual(['ramp']);
  });

  it('first write ramps from the measured power over one nominal cycle: measured −500, ask 4000 → 1500', () => {
    const r = run({ bat1: batteryAt(-500, 50) }, [battery(4000)]);
    expect(r.writes[0]?.setpoint).toEqual(battery(1500));
  });

  it('a safety cut is not slowed by the ramp: live 4000 W, SoC drops to 10 % → 0 W at once', () => {
    const r = run({ bat1: batteryAt(4000, 10) }, [battery(4000)], {
      nowMs: T0 + 1000,
      last: { bat1: written(battery(4000), T0) },
    });
    expect(r.writes[0]?.setpoint).toEqual(battery(0));
    expect(r.decisions[0]?.reasons).toEqual(['soc_min']);
  });

  it('min interval: a change 300 ms after the last write is held (no write)', () => {
    const r = run({ bat1: batteryAt(1000, 50) }, [battery(1200)], {
      nowMs: T0 + 300,
      last: { bat1: written(battery(1000), T0) },
    });
    expect(r.writes).toEqual([]);
    expect(r.decisions[0]).toMatchObject({
      applied: battery(1000),
      written: false,
      reasons: ['min_interval'],
    });
  });

  it('…unless the live setpoint breaks the envelope: stale 300 ms after a 3000 W write → 0 W now', () => {
    const r = run({ bat1: batteryAt(3000, 50) }, [battery(3000)], {
      nowMs: T0 + 300,
      last: { bat1: written(battery(3000), T0) },
      snap: { stale: ['bat1'] },
    });
    expect(r.writes.map((w) => w.setpoint)).toEqual([battery(0)]);
  });

  it('unchanged values are not rewritten until 15 s; at 15 s they are (revert timer 30 s)', () => {
    const at = (nowMs: number) =>
      run({ bat1: batteryAt(1000, 50) }, [battery(1000)], {
        nowMs,
        last: { bat1: written(battery(1000), T0) },
      });
    expect(at(T0 + 5000).writes).toEqual([]);
    expect(at(T0 + 5000).decisions[0]?.reasons).toEqual(['unchanged']);
    const due = at(T0 + 15_000);
    expect(due.writes[0]).toMatchObject({
      setpoint: battery(1000),
      revertSeconds: 30,
      rewriteDueMs: T0 + 30_000,
    });
    expect(due.decisions[0]?.reasons).toEqual(['rewrite']);
  });

  it('an expired setpoint is forgotten: the ramp starts from the measured power again', () => {
    const r = run({ bat1: batteryAt(0, 50) }, [battery(5000)], {
      nowMs: T0 + 31_000,
      last: { bat1: written(battery(5000), T0) },
    });
    expect(r.writes[0]?.setpoint).toEqual(battery(2000));
    expect(r.lastWrites.bat1?.writtenMs).toBe(T0 + 31_000);
  });

  it('cuts a live battery setpoint nobody asked for when its data goes stale (source: station)', () => {
    const r = run({ bat1: batteryAt(2000, 50) }, [], {
      nowMs: T0 + 2000,
      last: { bat1: written(battery(2000), T0) },
      snap: { stale: ['bat1'] },
    });
    expect(r.writes.map((w) => w.setpoint)).toEqual([battery(0)]);
  });
});

describe('devices and kinds', () => {
  it('offline, connecting or disabled devices get no write at all', () => {
    for (const state of ['offline', 'connecting', 'disabled'] as const) {
      const r = run({ bat1: batteryAt(0, 50) }, [battery(1000)], {
        snap: { states: { bat1: state } },
      });
      expect(r.writes).toEqual([]);
      expect(r.decisions[0]).toMatchObject({ written: false, reasons: ['offline'] });
    }
  });

  it('unknown device and wrong role are refused', () => {
    const r = run({ bat1: batteryAt(0, 50) }, [
      { kind: 'battery', deviceId: 'nope', powerW: 1 },
      { kind: 'battery', deviceId: 'pv1', powerW: 1 },
    ]);
    expect(r.writes).toEqual([]);
    expect(r.decisions.map((d) => d.reasons)).toEqual([['unknown_device'], ['wrong_role']]);
  });

  it('grid-forming battery: no power setpoint', () => {
    const r = run({ bat1: batteryAt(0, 50) }, [battery(1000)], { gridForming: true });
    expect(r.writes).toEqual([]);
    expect(r.decisions[0]?.reasons).toEqual(['grid_forming']);
  });

  it('PV: 150 % → 100 %; 33.37 % floored to 33.3 %', () => {
    expect(run({ pv1: { powerW: 1000 } }, [pv(150)]).writes[0]?.setpoint).toEqual(pv(100));
    expect(run({ pv1: { powerW: 1000 } }, [pv(33.37)]).writes[0]?.setpoint).toEqual(pv(33.3));
  });

  it('PV on stale data: never raised (live 60 %, asked 80 → stays 60), lowered to 40 is written', () => {
    const last = { pv1: written(pv(60), T0) };
    const opts = { nowMs: T0 + 2000, last, snap: { stale: ['pv1'] } };
    const raise = run({ pv1: { powerW: 1000 } }, [pv(80)], opts);
    expect(raise.writes).toEqual([]);
    expect(raise.decisions[0]).toMatchObject({ applied: pv(60), reasons: ['stale', 'unchanged'] });
    expect(run({ pv1: { powerW: 1000 } }, [pv(40)], opts).writes[0]?.setpoint).toEqual(pv(40));
    // No live limit known: nothing is written at all.
    expect(run({ pv1: { powerW: 1000 } }, [pv(40)], { snap: { stale: ['pv1'] } }).writes).toEqual(
      [],
    );
  });

  it('loads: switching on needs fresh data; switching off is never held by the min interval', () => {
    const stale = run({ 'load-alice': { powerW: 500 } }, [load('load-alice', true)], {
      snap: { stale: ['load-alice'] },
    });
    expect(stale.writes).toEqual([]);
    expect(stale.decisions[0]?.reasons).toEqual(['stale']);
    const off = run({ 'load-alice': { powerW: 500 } }, [load('load-alice', false)], {
      nowMs: T0 + 100,
      last: { 'load-alice': written(load('load-alice', true), T0) },
    });
    expect(off.writes.map((w) => w.setpoint)).toEqual([load('load-alice', false)]);
  });
});
