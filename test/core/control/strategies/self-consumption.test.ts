// Self-consumption worked examples: battery power = battery now + grid now − grid target.
import { describe, expect, it } from 'vitest';
import { selfConsumption } from '../../../../core/control/strategies/self-consumption';
import type { Setpoint } from '../../../../core/control/setpoint-types';
import { batteryAt, config, device, gridAt, makeSite, SITE, T0, view } from '../support';

const inputs = { localMinuteOfDay: 720, marketPosition: null };
const none = new Map<string, Setpoint>();

describe('self-consumption', () => {
  it('charges 4000 W from a 4000 W surplus (PV 6000, load 2000, grid −4000)', () => {
    const snap = view(SITE, T0, {
      grid: gridAt(-4000),
      bat1: batteryAt(0, 50),
      pv1: { powerW: 6000 },
    });
    expect(selfConsumption(snap, config(), none, inputs)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: -4000 },
    ]);
  });

  it('covers a 3000 W deficit while already discharging 1000 W (grid +2000 → 3000 W)', () => {
    const snap = view(SITE, T0, {
      grid: gridAt(2000),
      bat1: batteryAt(1000, 50),
      pv1: { powerW: 0 },
    });
    expect(selfConsumption(snap, config(), none, inputs)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: 3000 },
    ]);
  });

  it('aims at a grid target: target 500 W import, grid 3000 → discharge 2500', () => {
    const snap = view(SITE, T0, { grid: gridAt(3000), bat1: batteryAt(0, 50), pv1: { powerW: 0 } });
    const c = config({ selfConsumption: { gridTargetW: 500, minSocPct: 0 } });
    expect(selfConsumption(snap, c, none, inputs)[0]).toMatchObject({ powerW: 2500 });
  });

  const twoBatteries = makeSite([
    device('grid', 'grid-meter'),
    device('big', 'battery'),
    device('small', 'battery'),
  ]);

  it('splits a 4500 W deficit by rated power 6000:3000 → 3000 + 1500', () => {
    const snap = view(twoBatteries, T0, {
      grid: gridAt(4500),
      big: batteryAt(0, 50, 6000),
      small: batteryAt(0, 50, 3000),
    });
    expect(selfConsumption(snap, config(), none, inputs)).toEqual([
      { kind: 'battery', deviceId: 'big', powerW: 3000 },
      { kind: 'battery', deviceId: 'small', powerW: 1500 },
    ]);
  });

  it('gives the whole 4500 W to the big battery when the small one is at min SoC (10 %)', () => {
    const snap = view(twoBatteries, T0, {
      grid: gridAt(4500),
      big: batteryAt(0, 50, 6000),
      small: batteryAt(0, 10, 3000),
    });
    expect(selfConsumption(snap, config(), none, inputs)).toEqual([
      { kind: 'battery', deviceId: 'big', powerW: 4500 },
      { kind: 'battery', deviceId: 'small', powerW: 0 },
    ]);
  });

  it('fills the small battery to its 3000 W limit when the split would exceed it (12 kW charge)', () => {
    // 12000 × 3000/9000 = 4000 > 3000: small takes 3000, big the remaining 9000 → capped 6000.
    const snap = view(twoBatteries, T0, {
      grid: gridAt(-12_000),
      big: batteryAt(0, 50, 6000),
      small: batteryAt(0, 50, 3000),
    });
    expect(selfConsumption(snap, config(), none, inputs)).toEqual([
      { kind: 'battery', deviceId: 'big', powerW: -6000 },
      { kind: 'battery', deviceId: 'small', powerW: -3000 },
    ]);
  });

  it('holds the battery at 0 W when the grid meter is stale (nothing to balance against)', () => {
    const snap = view(
      SITE,
      T0,
      { grid: gridAt(3000), bat1: batteryAt(1500, 50), pv1: { powerW: 0 } },
      { stale: ['grid'] },
    );
    expect(selfConsumption(snap, config(), none, inputs)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: 0 },
    ]);
  });

  it('leaves a battery alone that an earlier party already claimed', () => {
    const snap = view(SITE, T0, { grid: gridAt(3000), bat1: batteryAt(0, 50), pv1: { powerW: 0 } });
    const previous = new Map<string, Setpoint>([
      ['bat1', { kind: 'battery', deviceId: 'bat1', powerW: -1000 }],
    ]);
    expect(selfConsumption(snap, config(), previous, inputs)).toEqual([]);
  });

  describe('with a SoC floor kept for peaks (selfConsumption.minSocPct)', () => {
    const floor = (gridTargetW = 0) => config({ selfConsumption: { gridTargetW, minSocPct: 60 } });
    const limitW = config().peakShaving.importLimitW;
    const targetW = limitW - config().peakShaving.marginW;

    it('above the floor covers the whole deficit as usual', () => {
      const snap = view(SITE, T0, {
        grid: gridAt(3000),
        bat1: batteryAt(0, 70),
        pv1: { powerW: 0 },
      });
      expect(selfConsumption(snap, floor(), none, inputs)).toEqual([
        { kind: 'battery', deviceId: 'bat1', powerW: 3000 },
      ]);
    });

    it('at or below it leaves an ordinary deficit to the grid (battery held at 0 W)', () => {
      const snap = view(SITE, T0, {
        grid: gridAt(3000),
        bat1: batteryAt(1000, 60),
        pv1: { powerW: 0 },
      });
      expect(selfConsumption(snap, floor(), none, inputs)).toEqual([
        { kind: 'battery', deviceId: 'bat1', powerW: 0 },
      ]);
    });

    it('at or below it still covers the import above the peak-shaving target', () => {
      const snap = view(SITE, T0, {
        grid: gridAt(limitW + 1000),
        bat1: batteryAt(0, 40),
        pv1: { powerW: 0 },
      });
      expect(selfConsumption(snap, floor(), none, inputs)).toEqual([
        { kind: 'battery', deviceId: 'bat1', powerW: limitW + 1000 - targetW },
      ]);
    });

    it('at or below it still absorbs a surplus', () => {
      const snap = view(SITE, T0, {
        grid: gridAt(-2500),
        bat1: batteryAt(0, 30),
        pv1: { powerW: 5000 },
      });
      expect(selfConsumption(snap, floor(), none, inputs)).toEqual([
        { kind: 'battery', deviceId: 'bat1', powerW: -2500 },
      ]);
    });
  });
});
