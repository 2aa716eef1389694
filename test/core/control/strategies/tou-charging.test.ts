// Time-of-use charging: window 01:00–05:00 local, target 80 %, 3000 W.
import { describe, expect, it } from 'vitest';
import { touCharging, activeTouWindow } from '../../../../core/control/strategies/tou-charging';
import type { Setpoint } from '../../../../core/control/setpoint-types';
import { batteryAt, config, gridAt, SITE, T0, view } from '../support';

const window = { startMinute: 60, endMinute: 300, targetSocPct: 80, chargePowerW: 3000 };
const c = config({ strategies: ['tou-charging'], touCharging: { windows: [window] } });
const none = new Map<string, Setpoint>();
const at = (minute: number) => ({ localMinuteOfDay: minute, marketPosition: null });

describe('time-of-use charging', () => {
  it('charges 3000 W at 02:00 with SoC 40 % and import 1000 W', () => {
    const snap = view(SITE, T0, { grid: gridAt(1000), bat1: batteryAt(0, 40), pv1: { powerW: 0 } });
    expect(touCharging(snap, c, none, at(120))).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: -3000 },
    ]);
  });

  it('charges only 1800 W when the load already imports 8000 W (room to 9800)', () => {
    const snap = view(SITE, T0, { grid: gridAt(8000), bat1: batteryAt(0, 40), pv1: { powerW: 0 } });
    expect(touCharging(snap, c, none, at(120))).toEqual([
      { kind: 'battery', deviceId: 'bat1', powerW: -1800 },
    ]);
  });

  it('asks nothing at target SoC (85 %), outside the window (06:40) or without room (import 9900)', () => {
    const full = view(SITE, T0, { grid: gridAt(1000), bat1: batteryAt(0, 85), pv1: { powerW: 0 } });
    expect(touCharging(full, c, none, at(120))).toEqual([]);
    const low = view(SITE, T0, { grid: gridAt(1000), bat1: batteryAt(0, 40), pv1: { powerW: 0 } });
    expect(touCharging(low, c, none, at(400))).toEqual([]);
    const busy = view(SITE, T0, { grid: gridAt(9900), bat1: batteryAt(0, 40), pv1: { powerW: 0 } });
    expect(touCharging(busy, c, none, at(120))).toEqual([]);
  });

  it('handles windows that wrap midnight (23:00–05:00 contains 00:30, not 12:00)', () => {
    const wrap = { ...window, startMinute: 1380, endMinute: 300 };
    expect(activeTouWindow([wrap], 30)).toBe(wrap);
    expect(activeTouWindow([wrap], 1380)).toBe(wrap);
    expect(activeTouWindow([wrap], 720)).toBeNull();
    expect(activeTouWindow([window], 300)).toBeNull();
  });
});
