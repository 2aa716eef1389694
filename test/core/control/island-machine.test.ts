// Island sequences on synthetic snapshots, one cycle per second: detection within 2 cycles,
// shedding by priority (critical last), PV curtailment at full battery, and the return:
// enter-service delay, then loads back one step at a time, critical first.
import { describe, expect, it } from 'vitest';
import type { ControlConfig } from '../../../core/control/control-config';
import {
  controlCycle,
  initialControlState,
  type ControlCycleResult,
  type ControlInputs,
} from '../../../core/control/control-cycle';
import { config, makeSnapshot, SITE, T0, type SnapshotOptions, type Values } from './support';

interface Frame {
  grid?: 'up' | 'down' | { voltageV: number; frequencyHz: number };
  socPct?: number;
  batteryW?: number;
  pvW?: number;
  opts?: SnapshotOptions;
  inputs?: ControlInputs;
}

function values(f: Frame): Values {
  const grid =
    f.grid === 'down'
      ? { powerW: 0, voltageV: 0, frequencyHz: 0 }
      : f.grid === undefined || f.grid === 'up'
        ? { powerW: 500, voltageV: 230, frequencyHz: 50 }
        : { powerW: 0, ...f.grid };
  return {
    grid,
    bat1: {
      powerW: f.batteryW ?? 1600,
      socPct: f.socPct ?? 50,
      ratedPowerW: 10_000,
      capacityWh: 20_000,
    },
    pv1: { powerW: f.pvW ?? 0, ratedPowerW: 5000, powerLimitPct: 100 },
    'load-pool': { powerW: 800 },
    'load-alice': { powerW: 500 },
    'load-clinic': { powerW: 300 },
  };
}

/** Runs one cycle per frame, frame i at T0 + i s. */
function run(frames: Frame[], c: ControlConfig = config()): ControlCycleResult[] {
  let state = initialControlState();
  return frames.map((f, i) => {
    const nowMs = T0 + i * 1000;
    const result = controlCycle(
      makeSnapshot(SITE, nowMs, values(f), f.opts),
      SITE,
      c,
      state,
      f.inputs,
    );
    state = result.nextState;
    return result;
  });
}

const repeat = (n: number, f: Frame): Frame[] => Array.from({ length: n }, () => f);
const times = <T>(n: number, value: T): T[] => Array.from({ length: n }, () => value);
const allEvents = (results: ControlCycleResult[]) => results.flatMap((r) => r.events);

describe('loss of grid detection', () => {
  for (const k of [1, 3, 7]) {
    it(`grid lost at cycle ${k} (0 V, 0 Hz) → islanded at cycle ${k + 1}`, () => {
      const results = run([...repeat(k, { grid: 'up' }), ...repeat(4, { grid: 'down' })]);
      expect(results[k]?.islandPhase).toBe('grid-connected');
      expect(results[k + 1]?.islandPhase).toBe('islanded');
      expect(results[k + 1]?.batteryMode).toBe('grid-forming');
      expect(results[k + 1]?.events).toEqual([
        { kind: 'island_entered', atMs: T0 + (k + 1) * 1000, reason: 'voltage_low' },
      ]);
    });
  }

  it('with lossConfirmCycles 1 the island is entered in the cycle that sees the loss', () => {
    const c = { ...config(), island: { ...config().island, lossConfirmCycles: 1 } };
    const results = run([{ grid: 'up' }, { grid: 'down' }], c);
    expect(results[1]?.islandPhase).toBe('islanded');
  });

  it('a one-cycle dip does not island; 52 Hz for two cycles does (frequency_high)', () => {
    const dip = run([
      { grid: 'up' },
      { grid: 'down' },
      { grid: 'up' },
      { grid: 'down' },
      { grid: 'up' },
    ]);
    expect(dip.map((r) => r.islandPhase)).not.toContain('islanded');
    const high = run([{ grid: 'up' }, ...repeat(2, { grid: { voltageV: 230, frequencyHz: 52 } })]);
    expect(high[2]?.events[0]).toMatchObject({ kind: 'island_entered', reason: 'frequency_high' });
  });

  it('a stale grid meter alone never islands; with the inverter reporting islanded it does', () => {
    const blind = run(repeat(5, { grid: 'up', opts: { stale: ['grid'] } }));
    expect(blind.map((r) => r.islandPhase)).toEqual(times(5, 'grid-connected'));
    const reported = run([
      { grid: 'up' },
      ...repeat(2, { grid: 'up', opts: { stale: ['grid'] }, inputs: { inverterIslanded: true } }),
    ]);
    expect(reported[2]?.events[0]).toMatchObject({
      kind: 'island_entered',
      reason: 'inverter_islanded',
    });
  });

  it('in island the battery gets no power setpoint (grid-forming), even from the operator', () => {
    const results = run([
      { grid: 'up' },
      ...repeat(2, {
        grid: 'down',
        inputs: { operatorRequests: [{ kind: 'battery', deviceId: 'bat1', powerW: 3000 }] },
      }),
    ]);
    expect(results[2]?.writes.filter((w) => w.setpoint.kind === 'battery')).toEqual([]);
    expect(results[2]?.decisions.find((d) => d.deviceId === 'bat1')?.reasons).toEqual([
      'grid_forming',
    ]);
  });
});

describe('shedding in island', () => {
  const islanded = (f: Frame) =>
    run([{ grid: 'up' }, { ...f, grid: 'down' }, { ...f, grid: 'down' }]);
  const shedIds = (results: ControlCycleResult[]) =>
    allEvents(results)
      .filter((e) => e.kind === 'load_shed')
      .map((e) => (e.kind === 'load_shed' ? [e.deviceId, e.reason] : []));

  it('SoC 50 % and 1600 W of a 10 kW battery: nothing is shed', () => {
    expect(shedIds(islanded({ socPct: 50 }))).toEqual([]);
  });

  it('SoC 25 % (≤ 30): the pool and alice are shed, the critical clinic is not', () => {
    const results = islanded({ socPct: 25 });
    expect(shedIds(results)).toEqual([
      ['load-pool', 'soc_low'],
      ['load-alice', 'soc_low'],
    ]);
    expect(results[2]?.shedLoadIds).toEqual(['load-pool', 'load-alice']);
    expect(
      results[2]?.writes.filter((w) => w.setpoint.kind === 'load').map((w) => w.setpoint),
    ).toEqual([
      { kind: 'load', deviceId: 'load-pool', on: false },
      { kind: 'load', deviceId: 'load-alice', on: false },
    ]);
    const alice = allEvents(results).find(
      (e) => e.kind === 'load_shed' && e.deviceId === 'load-alice',
    );
    expect(alice).toMatchObject({ memberId: 'alice', critical: false });
  });

  it('SoC 10 % (≤ 12): the clinic is shed as well, last', () => {
    expect(shedIds(islanded({ socPct: 10 }))).toEqual([
      ['load-pool', 'soc_critical'],
      ['load-alice', 'soc_critical'],
      ['load-clinic', 'soc_critical'],
    ]);
  });

  it('power: 9500 W out of 9000 usable (90 % of 10 kW) sheds only the 800 W pool', () => {
    expect(shedIds(islanded({ socPct: 50, batteryW: 9500 }))).toEqual([
      ['load-pool', 'power_overload'],
    ]);
  });

  it('power: 10 500 W sheds pool (800) and alice (500) → 9200, still over, then the clinic', () => {
    expect(shedIds(islanded({ socPct: 50, batteryW: 10_500 }))).toEqual([
      ['load-pool', 'power_overload'],
      ['load-alice', 'power_overload'],
      ['load-clinic', 'power_overload'],
    ]);
    // 10 200 W: pool and alice off leaves 8 900 ≤ 9 000, so the clinic stays on.
    expect(shedIds(islanded({ socPct: 50, batteryW: 10_200 }))).toEqual([
      ['load-pool', 'power_overload'],
      ['load-alice', 'power_overload'],
    ]);
  });

  it('full battery (96 %) charging 2000 W from 3000 W PV: PV limited to 20 % of 5 kW', () => {
    const results = islanded({ socPct: 96, batteryW: -2000, pvW: 3000 });
    expect(results[2]?.writes.find((w) => w.setpoint.kind === 'pv-limit')?.setpoint).toEqual({
      kind: 'pv-limit',
      deviceId: 'pv1',
      limitPct: 20,
    });
  });

  it('restores alice, then the pool, 10 s apart once SoC is back above 35 % (shed at 2 s → 12 s, 22 s)', () => {
    const frames = [
      { grid: 'up' as const },
      ...repeat(2, { grid: 'down' as const, socPct: 25 }),
      ...repeat(30, { grid: 'down' as const, socPct: 40 }),
    ];
    const results = run(frames);
    const restored = allEvents(results).filter((e) => e.kind === 'load_restored');
    expect(restored.map((e) => [e.kind === 'load_restored' && e.deviceId, e.atMs - T0])).toEqual([
      ['load-alice', 12_000],
      ['load-pool', 22_000],
    ]);
  });
});

describe('return of the grid', () => {
  it('waits the 300 s enter-service delay, then restores clinic, alice, pool 10 s apart', () => {
    const frames: Frame[] = [
      { grid: 'up' },
      { grid: 'down', socPct: 25 },
      { grid: 'down', socPct: 25 }, // islanded at 2 s: pool and alice shed
      ...repeat(10, { grid: 'down', socPct: 10 }), // 3 s: clinic shed
      ...repeat(500, { grid: 'up', socPct: 10 }), // grid back at 13 s
    ];
    const results = run(frames);
    const timeline = allEvents(results).map((e) => [
      e.kind,
      'deviceId' in e ? e.deviceId : null,
      (e.atMs - T0) / 1000,
    ]);
    expect(timeline).toEqual([
      ['island_entered', null, 2],
      ['load_shed', 'load-pool', 2],
      ['load_shed', 'load-alice', 2],
      ['load_shed', 'load-clinic', 3],
      ['grid_returned', null, 13],
      ['grid_reconnected', null, 313],
      ['load_restored', 'load-clinic', 323],
      ['load_restored', 'load-alice', 333],
      ['load_restored', 'load-pool', 343],
      ['island_left', null, 343],
    ]);
    expect(results[312]?.batteryMode).toBe('grid-forming');
    expect(results[313]?.batteryMode).toBe('grid-following');
    expect(results[313]?.islandPhase).toBe('restoring');
    expect(results[343]?.islandPhase).toBe('grid-connected');
    expect(results[323]?.writes.map((w) => w.setpoint)).toContainEqual({
      kind: 'load',
      deviceId: 'load-clinic',
      on: true,
    });
    // While restoring, the loads not yet back are kept off.
    expect(results[330]?.shedLoadIds).toEqual(['load-pool', 'load-alice']);
  });

  it('a dip during the wait aborts it; the delay starts again when the grid is back', () => {
    const frames: Frame[] = [
      { grid: 'up' },
      ...repeat(2, { grid: 'down' }),
      ...repeat(100, { grid: 'up' }), // back at 3 s
      { grid: 'down' }, // 103 s
      ...repeat(320, { grid: 'up' }), // back at 104 s
    ];
    const events = allEvents(run(frames)).map((e) => [e.kind, (e.atMs - T0) / 1000]);
    expect(events).toEqual([
      ['island_entered', 2],
      ['grid_returned', 3],
      ['reconnect_aborted', 103],
      ['grid_returned', 104],
      ['grid_reconnected', 404],
      ['island_left', 404],
    ]);
  });

  it('grid back but outside the return range (0.9 pu, 207 V) does not start the wait', () => {
    const results = run([
      { grid: 'up' },
      ...repeat(2, { grid: 'down' }),
      ...repeat(5, { grid: { voltageV: 207, frequencyHz: 50 } }),
    ]);
    expect(results.at(-1)?.islandPhase).toBe('islanded');
  });
});
