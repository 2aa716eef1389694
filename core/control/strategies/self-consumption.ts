// Self-consumption: the batteries absorb the site's surplus and cover its deficit, so the
// grid meter reads gridTargetW (default 0 W). From load = PV + battery + grid, the battery
// power that gives grid = target is (battery now + grid now − target). Without fresh grid
// data there is nothing to balance against: the batteries are held at 0 W.
import { projectedGridW, unclaimedBatteries } from '../grid-projection';
import { batteryRequests, holdAtZero, sumPowerW } from './battery-requests';
import type { Strategy } from './strategy-types';

export const selfConsumption: Strategy = (snapshot, config, previous) => {
  const free = unclaimedBatteries(snapshot, previous);
  if (free.length === 0) return [];
  const gridW = projectedGridW(snapshot, config, previous);
  if (gridW === null) return holdAtZero(free);
  const totalW = sumPowerW(free) + gridW - config.selfConsumption.gridTargetW;
  return batteryRequests(totalW, free, config);
};
