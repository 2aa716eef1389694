// Peak shaving worked examples: import limit 10 000 W, margin 200 W → target 9 800 W.
import { describe, expect, it } from 'vitest';
import { peakShaving } from '../../../../core/control/strategies/peak-shaving';
import type { Setpoint } from '../../../../core/control/setpoint-types';
import { batteryAt, config, gridAt, SITE, T0, view } from '../support';

const inputs = { localMinuteOfDay: 720, marketPosition: null };
const none = new Map<string, Setpoint>();

describe('peak shaving', () => {
  it('discharges 3200 W when import is 13 000 W (13 000 − 9 800)', () => {
    const snap = view(SITE, T0, {
      grid: gridAt(13_000),
      bat1: batteryAt(0, 50, 5000),
      pv1: { powerW: 0 },
    });
    expect(peakShaving(snap, config(), none, inputs)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: 3200 },
    ]);
  });

  it('keeps tracking: discharging 1000 W with import 12 000 → 3200 W', () => {
    const snap = view(SITE, T0, {
      grid: gridAt(12_000),
      bat1: batteryAt(1000, 50),
      pv1: { powerW: 0 },
    });
    expect(peakShaving(snap, config(), none, inputs)[0]).toMatchObject({ powerW: 3200 });
  });

  it('returns to 0 W when the peak is over (import 4000, discharging 1000)', () => {
    const snap = view(SITE, T0, {
      grid: gridAt(4000),
      bat1: batteryAt(1000, 50),
      pv1: { powerW: 0 },
    });
    expect(peakShaving(snap, config(), none, inputs)[0]).toMatchObject({ powerW: 0 });
  });

  it('trims an earlier 3000 W charge to 1800 W when it would push import to 11 000 W', () => {
    // Grid 8000 with the battery idle; charging 3000 makes 11 000: 1200 over 9800.
    const snap = view(SITE, T0, { grid: gridAt(8000), bat1: batteryAt(0, 50), pv1: { powerW: 0 } });
    const previous = new Map<string, Setpoint>([
      ['bat1', { kind: 'battery', deviceId: 'bat1', powerW: -3000 }],
    ]);
    expect(peakShaving(snap, config(), previous, inputs)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: -1800 },
    ]);
  });

  it('trims an earlier charge to 0 W at most (import 11 000 with the battery idle)', () => {
    const snap = view(SITE, T0, {
      grid: gridAt(11_000),
      bat1: batteryAt(0, 50),
      pv1: { powerW: 0 },
    });
    const previous = new Map<string, Setpoint>([
      ['bat1', { kind: 'battery', deviceId: 'bat1', powerW: -3000 }],
    ]);
    expect(peakShaving(snap, config(), previous, inputs)).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: 0 },
    ]);
  });
});
