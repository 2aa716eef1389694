// Time-of-use charging: inside a cheap window (site local time), charge the batteries below
// the window's target SoC with up to chargePowerW in total, but only as far as the import
// limit leaves room (import with those batteries idle must stay ≤ importLimitW − marginW).
// Outside a window, at target, or without room it asks nothing, leaving the batteries free
// for the strategies after it.
import { projectedGridW, unclaimedBatteries } from '../grid-projection';
import type { TouWindow } from '../control-config';
import { batteryRequests, sumPowerW } from './battery-requests';
import type { Strategy } from './strategy-types';

export function activeTouWindow(
  windows: readonly TouWindow[],
  minuteOfDay: number,
): TouWindow | null {
  for (const w of windows) {
    const inside =
      w.startMinute < w.endMinute
        ? minuteOfDay >= w.startMinute && minuteOfDay < w.endMinute
        : w.startMinute > w.endMinute &&
          (minuteOfDay >= w.startMinute || minuteOfDay < w.endMinute);
    if (inside) return w;
  }
  return null;
}

export const touCharging: Strategy = (snapshot, config, previous, inputs) => {
  const window = activeTouWindow(config.touCharging.windows, inputs.localMinuteOfDay);
  if (!window) return [];
  const free = unclaimedBatteries(snapshot, previous);
  const below = free.filter((b) => b.socPct !== null && b.socPct < window.targetSocPct);
  const gridW = projectedGridW(snapshot, config, previous);
  if (below.length === 0 || gridW === null) return [];
  // Grid import if these batteries stood idle, and what the import limit leaves for charging.
  const idleGridW = gridW + sumPowerW(below);
  const roomW = config.peakShaving.importLimitW - config.peakShaving.marginW - idleGridW;
  const chargeW = Math.min(window.chargePowerW, roomW);
  if (chargeW <= 0) return [];
  return batteryRequests(-chargeW, below, config).filter((r) => r.powerW < 0);
};
