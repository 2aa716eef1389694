// Peak shaving: keep grid import at or below (importLimitW − marginW). First it trims
// charging that earlier strategies asked for (toward 0 W: a narrowing), then it asks the
// batteries nobody claimed to discharge whatever import remains above the target, and 0 W
// when there is none (so a shave ends when the peak does).
import { controllableBatteries } from '../battery-limits';
import { feasibleBatteryW, projectedGridW, unclaimedBatteries } from '../grid-projection';
import type { BatterySetpoint } from '../setpoint-types';
import { batteryRequests, holdAtZero, sumPowerW } from './battery-requests';
import type { Strategy } from './strategy-types';

export const peakShaving: Strategy = (snapshot, config, previous) => {
  const free = unclaimedBatteries(snapshot, previous);
  const gridW = projectedGridW(snapshot, config, previous);
  if (gridW === null) return holdAtZero(free);
  const targetW = config.peakShaving.importLimitW - config.peakShaving.marginW;
  let excessW = gridW - targetW;
  const requests: BatterySetpoint[] = [];
  for (const battery of controllableBatteries(snapshot.devices)) {
    const earlier = previous.get(battery.id);
    if (excessW <= 0 || earlier?.kind !== 'battery') continue;
    const feasibleW = feasibleBatteryW(earlier.powerW, battery, config);
    if (feasibleW >= 0) continue;
    const cutW = Math.min(excessW, -feasibleW);
    requests.push({ kind: 'battery', deviceId: battery.id, powerW: Math.trunc(feasibleW + cutW) });
    excessW -= cutW;
  }
  if (free.length > 0) {
    // Only discharge here: shaving never charges (self-consumption or TOU do that).
    const totalW = Math.max(0, sumPowerW(free) + excessW);
    requests.push(...batteryRequests(totalW, free, config));
  }
  return requests;
};
