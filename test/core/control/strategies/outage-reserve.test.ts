// Outage reserve at 30 %: no discharge at or below it while the grid is present.
import { describe, expect, it } from 'vitest';
import { outageReserve } from '../../../../core/control/strategies/outage-reserve';
import type { Setpoint } from '../../../../core/control/setpoint-types';
import { batteryAt, config, gridAt, SITE, T0, view } from '../support';

const inputs = { localMinuteOfDay: 720, marketPosition: null };
const asked = (powerW: number) =>
  new Map<string, Setpoint>([['bat1', { kind: 'battery', deviceId: 'bat1', powerW }]]);

describe('outage reserve', () => {
  it('narrows an earlier 2000 W discharge to 0 W at SoC 25 %', () => {
    const snap = view(SITE, T0, { grid: gridAt(2000), bat1: batteryAt(0, 25), pv1: { powerW: 0 } });
    expect(outageReserve(snap, config(), asked(2000), inputs)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: 0 },
    ]);
  });

  it('also stops a battery discharging 500 W on its own at SoC 30 % (at the reserve)', () => {
    const snap = view(SITE, T0, {
      grid: gridAt(2000),
      bat1: batteryAt(500, 30),
      pv1: { powerW: 0 },
    });
    expect(outageReserve(snap, config(), new Map(), inputs)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: 0 },
    ]);
  });

  it('leaves a discharge above the reserve (35 %) and a charge below it (−1000 W at 25 %) alone', () => {
    const above = view(SITE, T0, {
      grid: gridAt(2000),
      bat1: batteryAt(0, 35),
      pv1: { powerW: 0 },
    });
    expect(outageReserve(above, config(), asked(2000), inputs)).toEqual([]);
    const below = view(SITE, T0, {
      grid: gridAt(2000),
      bat1: batteryAt(0, 25),
      pv1: { powerW: 0 },
    });
    expect(outageReserve(below, config(), asked(-1000), inputs)).toEqual([]);
  });
});
