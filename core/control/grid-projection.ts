// Where the grid power will be once the batteries follow the requests made so far. From the
// balance load = PV + battery + grid: moving a battery by Δ W (more discharge) moves the grid
// by −Δ W. Only batteries with fresh power count (for the others there is no "now" to move
// from), and each request counts only as far as its battery's limits let it.
import { batteryLimits, controllableBatteries } from './battery-limits';
import type { ControlConfig } from './control-config';
import type { ControlSnapshot } from './control-snapshot';
import type { Setpoint } from './setpoint-types';

/** Grid W (> 0 import) after the battery requests in `previous`; null without grid data. */
export function projectedGridW(
  snapshot: ControlSnapshot,
  config: ControlConfig,
  previous: ReadonlyMap<string, Setpoint>,
): number | null {
  const gridW = snapshot.site.gridW;
  if (gridW === null) return null;
  let shiftW = 0;
  for (const battery of controllableBatteries(snapshot.devices)) {
    const request = previous.get(battery.id);
    if (request?.kind !== 'battery' || battery.powerW === null) continue;
    shiftW += feasibleBatteryW(request.powerW, battery, config) - battery.powerW;
  }
  return gridW - shiftW;
}

/** The part of a battery request its limits allow. */
export function feasibleBatteryW(
  powerW: number,
  battery: Parameters<typeof batteryLimits>[0],
  config: ControlConfig,
): number {
  const limits = batteryLimits(battery, config.soc);
  return Math.min(limits.maxDischargeW, Math.max(-limits.maxChargeW, powerW));
}

/** Controllable batteries nobody has asked for yet in this cycle. */
export function unclaimedBatteries(
  snapshot: ControlSnapshot,
  previous: ReadonlyMap<string, Setpoint>,
) {
  return controllableBatteries(snapshot.devices).filter((b) => !previous.has(b.id));
}
