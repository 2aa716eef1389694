// Self-consumption: the batteries absorb the site's surplus and cover its deficit, so the
// grid meter reads gridTargetW (default 0 W). From load = PV + battery + grid, the battery
// power that gives grid = target is (battery now + grid now − target). Without fresh grid
// data there is nothing to balance against: the batteries are held at 0 W.
//
// With a SoC floor (selfConsumption.minSocPct > 0), once a battery is at or below it the
// deficit is no longer covered in full: only the import above the peak-shaving target
// (importLimitW − marginW) is, so the energy left is kept for the peaks. Surpluses are still
// absorbed. (The batteries stay claimed: a battery left without a request would keep its
// last setpoint until it expires, and peak shaving, coming later, may only narrow.)
import { projectedGridW, unclaimedBatteries } from '../grid-projection';
import { batteryRequests, holdAtZero, sumPowerW } from './battery-requests';
import type { Strategy } from './strategy-types';

export const selfConsumption: Strategy = (snapshot, config, previous) => {
  const free = unclaimedBatteries(snapshot, previous);
  if (free.length === 0) return [];
  const gridW = projectedGridW(snapshot, config, previous);
  if (gridW === null) return holdAtZero(free);
  const totalW = sumPowerW(free) + gridW - config.selfConsumption.gridTargetW;
  const floorPct = config.selfConsumption.minSocPct;
  // A battery without a SoC reading counts as at the floor: it cannot be checked.
  const atFloor = free.some((b) => b.socPct === null || b.socPct <= floorPct);
  if (totalW <= 0 || floorPct <= 0 || !atFloor) return batteryRequests(totalW, free, config);
  const peakTargetW = config.peakShaving.importLimitW - config.peakShaving.marginW;
  const shaveW = Math.max(0, sumPowerW(free) + gridW - peakTargetW);
  return batteryRequests(Math.min(totalW, shaveW), free, config);
};
