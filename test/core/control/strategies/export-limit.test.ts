// Export-limit worked examples: export limit 5000 W, margin 200 W → target export 4800 W.
import { describe, expect, it } from 'vitest';
import { composeRequests } from '../../../../core/control/compose-strategies';
import { exportLimit } from '../../../../core/control/strategies/export-limit';
import { selfConsumption } from '../../../../core/control/strategies/self-consumption';
import type { Setpoint } from '../../../../core/control/setpoint-types';
import { batteryAt, config, device, gridAt, makeSite, SITE, T0, view } from '../support';

const inputs = { localMinuteOfDay: 720, marketPosition: null };
const none = new Map<string, Setpoint>();
const chain = [
  { name: 'self-consumption', run: selfConsumption },
  { name: 'export-limit', run: exportLimit },
];

describe('export limit', () => {
  it('curtails a 9000 W PV (rated 10 kW) to 58 % when the full battery cannot absorb 8000 W export', () => {
    // Load 1000, battery at max SoC 95 %: self-consumption asks −8000 but the battery can take 0.
    // Export 8000 − target 4800 = 3200 W cut: 9000 → 5800 W = 58 % of 10 kW.
    const snap = view(SITE, T0, {
      grid: gridAt(-8000),
      bat1: batteryAt(0, 95),
      pv1: { powerW: 9000, ratedPowerW: 10_000, powerLimitPct: 100 },
    });
    const composed = composeRequests(snap, config(), inputs, chain);
    expect(composed.map((r) => r.setpoint)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: 0 },
      { kind: 'pv-limit', deviceId: 'pv1', limitPct: 58 },
    ]);
  });

  it('does not curtail when the battery absorbs 5000 of the 8000 W surplus (export 3000)', () => {
    const snap = view(SITE, T0, {
      grid: gridAt(-8000),
      bat1: batteryAt(0, 50, 5000),
      pv1: { powerW: 9000, ratedPowerW: 10_000, powerLimitPct: 100 },
    });
    const composed = composeRequests(snap, config(), inputs, chain);
    expect(composed.map((r) => r.setpoint)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: -5000 },
    ]);
  });

  it('cuts two inverters in proportion to their output: 6000 + 3000 W, cut 3200 → 38.6 % each', () => {
    // factor (9000 − 3200) / 9000; pv1 3866.7 W of 10 kW, pv2 1933.3 W of 5 kW, floored to 0.1 %.
    const site = makeSite([
      device('grid', 'grid-meter'),
      device('pv1', 'pv-inverter'),
      device('pv2', 'pv-inverter'),
    ]);
    const snap = view(site, T0, {
      grid: gridAt(-8000),
      pv1: { powerW: 6000, ratedPowerW: 10_000, powerLimitPct: 100 },
      pv2: { powerW: 3000, ratedPowerW: 5000, powerLimitPct: 100 },
    });
    expect(exportLimit(snap, config(), none, inputs)).toEqual([
      { kind: 'pv-limit', deviceId: 'pv1', limitPct: 38.6 },
      { kind: 'pv-limit', deviceId: 'pv2', limitPct: 38.6 },
    ]);
  });

  it('releases curtailment by the headroom: export 4000, limit 50 % → 58 %', () => {
    // Headroom 4800 − 4000 = 800 W ≥ margin: (5000 + 800) / 10 000 = 58 %.
    const snap = view(SITE, T0, {
      grid: gridAt(-4000),
      bat1: batteryAt(0, 95),
      pv1: { powerW: 5000, ratedPowerW: 10_000, powerLimitPct: 50 },
    });
    expect(exportLimit(snap, config(), none, inputs)).toEqual([
      { kind: 'pv-limit', deviceId: 'pv1', limitPct: 58 },
    ]);
  });

  it('holds inside the dead band: export 4700 (headroom 100 < margin 200) → no request', () => {
    const snap = view(SITE, T0, {
      grid: gridAt(-4700),
      bat1: batteryAt(0, 95),
      pv1: { powerW: 5700, ratedPowerW: 10_000, powerLimitPct: 57 },
    });
    expect(exportLimit(snap, config(), none, inputs)).toEqual([]);
  });

  it('asks nothing without fresh grid data (keeps the curtailment as it is)', () => {
    const snap = view(
      SITE,
      T0,
      { grid: gridAt(-8000), bat1: batteryAt(0, 95), pv1: { powerW: 9000, ratedPowerW: 10_000 } },
      { stale: ['grid'] },
    );
    expect(exportLimit(snap, config(), none, inputs)).toEqual([]);
  });
});
