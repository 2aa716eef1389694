// Is the microgrid connected? The grid meter and the battery inverter's gridConnected
// point: what the control snapshot derives from fresh reports only, which witness wins in
// judgeGrid, and what the island machine does with it over a few cycles. The rule: either
// witness saying "lost" is enough; a silent device is never a witness.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ISLAND_CONFIG } from '../../../core/control/control-config';
import {
  controlCycle,
  initialControlState,
  type ControlCycleResult,
} from '../../../core/control/control-cycle';
import type { ControlSiteView } from '../../../core/control/control-snapshot';
import { judgeGrid } from '../../../core/control/grid-detection';
import {
  batteryAt,
  config,
  device,
  gridAt,
  makeSite,
  makeSnapshot,
  SITE,
  T0,
  view,
  type SnapshotOptions,
  type Values,
} from './support';

const DOWN = { powerW: 0, voltageV: 0, frequencyHz: 0 };
const battery = (gridConnected: number | null) => ({ ...batteryAt(2000, 50), gridConnected });

describe('inverterIslanded in the control snapshot', () => {
  const islanded = (values: Values, opts?: SnapshotOptions) =>
    view(SITE, T0, values, opts).site.inverterIslanded;

  it('follows a fresh gridConnected of the battery inverter: 0 islanded, 1 connected', () => {
    expect(islanded({ grid: gridAt(0), bat1: battery(0) })).toBe(true);
    expect(islanded({ grid: gridAt(0), bat1: battery(1) })).toBe(false);
    expect(view(SITE, T0, { bat1: battery(0) }).byId.bat1?.gridConnected).toBe(false);
  });

  it('is null when the report is stale, the inverter offline, absent or not 0/1', () => {
    expect(islanded({ bat1: battery(0) }, { stale: ['bat1.gridConnected'] })).toBeNull();
    expect(islanded({ bat1: battery(0) }, { stale: ['bat1'] })).toBeNull();
    expect(islanded({ bat1: battery(0) }, { states: { bat1: 'offline' } })).toBeNull();
    expect(islanded({ bat1: battery(0) }, { states: { bat1: 'disabled' } })).toBeNull();
    expect(islanded({ bat1: batteryAt(2000, 50) })).toBeNull();
    expect(islanded({ bat1: battery(null) })).toBeNull();
    expect(islanded({ bat1: battery(2) })).toBeNull();
  });

  it('only battery inverters count; one of two saying islanded is enough', () => {
    const two = makeSite([
      device('grid', 'grid-meter'),
      device('bat1', 'battery'),
      device('bat2', 'battery'),
      device('pv1', 'pv-inverter'),
    ]);
    const values = (a: number, b: number, pv: number): Values => ({
      grid: gridAt(0),
      bat1: battery(a),
      bat2: battery(b),
      pv1: { powerW: 100, gridConnected: pv },
    });
    expect(view(two, T0, values(1, 0, 1)).site.inverterIslanded).toBe(true);
    expect(view(two, T0, values(1, 1, 0)).site.inverterIslanded).toBe(false);
    // The one that says islanded goes silent: the other's "connected" stands.
    expect(view(two, T0, values(1, 0, 1), { stale: ['bat2'] }).site.inverterIslanded).toBe(false);
  });
});

describe('judgeGrid: meter and inverter', () => {
  const site = (meter: 'ok' | 'down' | 'stale' | 'back-marginal'): ControlSiteView => ({
    gridW: null,
    pvW: null,
    loadW: null,
    batteryW: null,
    socPct: null,
    gridMeterFresh: meter !== 'stale',
    gridVoltageV: meter === 'down' ? 0 : meter === 'back-marginal' ? 207 : 230,
    gridFrequencyHz: meter === 'down' ? 0 : 50,
    inverterIslanded: null,
  });
  const judge = (
    meter: Parameters<typeof site>[0],
    inverterIslanded: boolean | null,
    ranges: 'trip' | 'return' = 'trip',
  ) => judgeGrid(site(meter), DEFAULT_ISLAND_CONFIG, ranges, inverterIslanded);

  it('meter offline, inverter says islanded → lost (inverter_islanded)', () => {
    expect(judge('stale', true)).toEqual({ kind: 'lost', reason: 'inverter_islanded' });
  });

  it('meter offline and the inverter says connected or nothing → unknown, never present', () => {
    expect(judge('stale', false)).toEqual({ kind: 'unknown' });
    expect(judge('stale', null)).toEqual({ kind: 'unknown' });
  });

  it('meter healthy, inverter says islanded → lost: the inverter is the truth behind the breaker', () => {
    expect(judge('ok', true)).toEqual({ kind: 'lost', reason: 'inverter_islanded' });
    // Nor is the grid back while the inverter still runs the island.
    expect(judge('ok', true, 'return')).toEqual({ kind: 'lost', reason: 'inverter_islanded' });
  });

  it('meter reads no grid → lost with the meter reason, whatever the inverter says', () => {
    for (const inverter of [true, false, null])
      expect(judge('down', inverter)).toEqual({ kind: 'lost', reason: 'voltage_low' });
  });

  it('meter healthy and the inverter connected or silent → present', () => {
    expect(judge('ok', false)).toEqual({ kind: 'present' });
    expect(judge('ok', null)).toEqual({ kind: 'present' });
    expect(judge('back-marginal', false, 'return')).toEqual({
      kind: 'lost',
      reason: 'voltage_low',
    });
  });
});

describe('the island machine with the inverter as a witness', () => {
  interface Frame {
    meter: 'up' | 'down' | 'offline';
    /** The battery inverter's gridConnected; 'silent' = its points are stale. */
    inverter: 0 | 1 | 'silent';
  }
  function run(frames: Frame[]): ControlCycleResult[] {
    let state = initialControlState();
    return frames.map((f, i) => {
      const values: Values = {
        grid: f.meter === 'down' ? DOWN : gridAt(500),
        bat1: battery(f.inverter === 'silent' ? 1 : f.inverter),
      };
      const opts: SnapshotOptions = {
        stale: [
          ...(f.meter === 'offline' ? ['grid'] : []),
          ...(f.inverter === 'silent' ? ['bat1'] : []),
        ],
        states: {
          ...(f.meter === 'offline' ? { grid: 'offline' as const } : {}),
          ...(f.inverter === 'silent' ? { bat1: 'offline' as const } : {}),
        },
      };
      const result = controlCycle(
        makeSnapshot(SITE, T0 + i * 1000, values, opts),
        SITE,
        config(),
        state,
      );
      state = result.nextState;
      return result;
    });
  }
  const repeat = (n: number, f: Frame): Frame[] => Array.from({ length: n }, () => f);
  const phases = (results: ControlCycleResult[]) => results.map((r) => r.islandPhase);

  it('meter offline and the inverter reporting the island: islanded in 2 cycles, reason inverter_islanded', () => {
    const results = run([
      { meter: 'up', inverter: 1 },
      ...repeat(2, { meter: 'offline', inverter: 0 }),
    ]);
    expect(phases(results)).toEqual(['grid-connected', 'grid-connected', 'islanded']);
    expect(results[2]?.events[0]).toEqual({
      kind: 'island_entered',
      atMs: T0 + 2000,
      reason: 'inverter_islanded',
    });
    expect(results[2]?.batteryMode).toBe('grid-forming');
  });

  it('a communication failure alone never islands: meter and inverter both silent', () => {
    const results = run([
      { meter: 'up', inverter: 1 },
      ...repeat(5, { meter: 'offline', inverter: 'silent' }),
    ]);
    expect(phases(results)).not.toContain('islanded');
  });

  it('an island behind a healthy meter is run as an island until the inverter reconnects', () => {
    const results = run([
      { meter: 'up', inverter: 1 },
      ...repeat(3, { meter: 'up', inverter: 0 }),
      ...repeat(2, { meter: 'up', inverter: 1 }),
    ]);
    expect(phases(results)).toEqual([
      'grid-connected',
      'grid-connected',
      'islanded',
      'islanded',
      'reconnect-wait', // the enter-service delay starts only once the inverter is back
      'reconnect-wait',
    ]);
    expect(results[2]?.events[0]).toMatchObject({ reason: 'inverter_islanded' });
    expect(results[4]?.events[0]).toMatchObject({ kind: 'grid_returned' });
  });

  it('an outage seen by both is reported with the meter reason, and the inverter going silent in the island does not end it', () => {
    const results = run([
      { meter: 'up', inverter: 1 },
      ...repeat(2, { meter: 'down', inverter: 0 }),
      ...repeat(3, { meter: 'down', inverter: 'silent' }),
    ]);
    expect(results[2]?.events[0]).toMatchObject({ kind: 'island_entered', reason: 'voltage_low' });
    expect(phases(results).slice(2)).toEqual(Array(4).fill('islanded'));
  });
});
