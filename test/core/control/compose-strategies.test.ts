// The narrowing rule: a later party may only move a request toward the safe value.
import { describe, expect, it } from 'vitest';
import { composeRequests } from '../../../core/control/compose-strategies';
import { narrow } from '../../../core/control/narrowing';
import type { Setpoint } from '../../../core/control/setpoint-types';
import type { NamedStrategy } from '../../../core/control/strategies/strategy-types';
import { enabledStrategies } from '../../../core/control/strategies/strategy-registry';
import { batteryAt, config, gridAt, SITE, T0, view } from './support';

const battery = (powerW: number): Setpoint => ({ kind: 'battery', deviceId: 'bat1', powerW });
const pv = (limitPct: number): Setpoint => ({ kind: 'pv-limit', deviceId: 'pv1', limitPct });
const load = (on: boolean): Setpoint => ({ kind: 'load', deviceId: 'load-alice', on });
const asks = (name: string, ...setpoints: Setpoint[]): NamedStrategy => ({
  name,
  run: () => setpoints,
});
const inputs = { localMinuteOfDay: 720, marketPosition: null };
const snap = view(SITE, T0, { grid: gridAt(0), bat1: batteryAt(0, 50), pv1: { powerW: 0 } });

describe('narrow', () => {
  it('battery: 3000 → 1000 narrows, → 4000 clamps to 3000, → −1000 clamps to 0', () => {
    expect(narrow(battery(3000), battery(1000))).toEqual({
      kind: 'narrowed',
      setpoint: battery(1000),
    });
    expect(narrow(battery(3000), battery(4000))).toEqual({
      kind: 'clamped',
      setpoint: battery(3000),
      why: 'widening',
    });
    expect(narrow(battery(3000), battery(-1000))).toEqual({
      kind: 'clamped',
      setpoint: battery(0),
      why: 'widening',
    });
    expect(narrow(battery(-2000), battery(-500)).setpoint).toEqual(battery(-500));
    expect(narrow(battery(0), battery(500)).setpoint).toEqual(battery(0));
  });

  it('pv: 60 % → 40 % narrows, → 80 % stays 60 %; load: on → off narrows, off → on stays off', () => {
    expect(narrow(pv(60), pv(40))).toEqual({ kind: 'narrowed', setpoint: pv(40) });
    expect(narrow(pv(60), pv(80))).toMatchObject({ kind: 'clamped', setpoint: pv(60) });
    expect(narrow(load(true), load(false))).toEqual({ kind: 'narrowed', setpoint: load(false) });
    expect(narrow(load(false), load(true))).toMatchObject({
      kind: 'clamped',
      setpoint: load(false),
    });
  });

  it('refuses NaN and a request of another kind for the same device', () => {
    expect(narrow(battery(3000), battery(Number.NaN))).toMatchObject({
      why: 'invalid',
      setpoint: battery(3000),
    });
    expect(narrow(battery(3000), { kind: 'load', deviceId: 'bat1', on: false })).toMatchObject({
      why: 'kind_mismatch',
      setpoint: battery(3000),
    });
  });
});

describe('composeRequests', () => {
  it('clamps a later widening and records who tried it', () => {
    const composed = composeRequests(snap, config(), inputs, [
      asks('first', battery(3000), pv(60), load(true)),
      asks('wider', battery(4500), pv(90), load(false)),
      asks('flip', battery(-1000)),
    ]);
    expect(composed.map((r) => r.setpoint)).toEqual([battery(0), pv(60), load(false)]);
    const [bat, pvReq, loadReq] = composed;
    expect(bat?.requestedBy).toBe('first');
    expect(bat?.narrowedBy).toEqual(['flip']);
    expect(bat?.refused.map((r) => [r.source, r.why])).toEqual([
      ['wider', 'widening'],
      ['flip', 'widening'],
    ]);
    expect(pvReq?.refused).toHaveLength(1);
    expect(loadReq?.narrowedBy).toEqual(['wider']);
  });

  it('operator requests come first: self-consumption cannot override a manual 2000 W discharge', () => {
    const surplus = view(SITE, T0, {
      grid: gridAt(-3000),
      bat1: batteryAt(0, 50),
      pv1: { powerW: 3000 },
    });
    const composed = composeRequests(surplus, config(), inputs, enabledStrategies(config()), [
      { source: 'operator', setpoint: battery(2000) },
    ]);
    expect(composed[0]).toMatchObject({
      setpoint: battery(2000),
      requestedBy: 'operator',
      narrowedBy: [],
    });
  });

  it('the outage reserve narrows a manual discharge to 0 W at SoC 20 %', () => {
    const low = view(SITE, T0, { grid: gridAt(2000), bat1: batteryAt(0, 20), pv1: { powerW: 0 } });
    const composed = composeRequests(low, config(), inputs, enabledStrategies(config()), [
      { source: 'operator', setpoint: battery(2000) },
    ]);
    expect(composed[0]).toMatchObject({ setpoint: battery(0), narrowedBy: ['outage-reserve'] });
  });

  it('TOU before self-consumption: the cheap window charge (−3000 W) wins over covering 1000 W', () => {
    const c = config({
      strategies: ['tou-charging', 'self-consumption', 'outage-reserve'],
      touCharging: {
        windows: [{ startMinute: 60, endMinute: 300, targetSocPct: 80, chargePowerW: 3000 }],
      },
    });
    const night = view(SITE, T0, {
      grid: gridAt(1000),
      bat1: batteryAt(0, 40),
      pv1: { powerW: 0 },
    });
    const composed = composeRequests(
      night,
      c,
      { ...inputs, localMinuteOfDay: 120 },
      enabledStrategies(c),
    );
    expect(composed[0]).toMatchObject({ setpoint: battery(-3000), requestedBy: 'tou-charging' });
  });
});
