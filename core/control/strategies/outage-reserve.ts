// Outage reserve: while the grid is present, no battery discharges at or below the reserve
// SoC, so the island has energy when the grid fails. It narrows any discharge asked earlier
// to 0 W, and stops a battery that discharges on its own (no request yet). Charging is left
// alone. Runs only grid-connected: in island mode the reserve is what the island lives on.
import { controllableBatteries } from '../battery-limits';
import type { BatterySetpoint } from '../setpoint-types';
import type { Strategy } from './strategy-types';

export const outageReserve: Strategy = (snapshot, config, previous) => {
  const requests: BatterySetpoint[] = [];
  for (const battery of controllableBatteries(snapshot.devices)) {
    if (battery.socPct === null || battery.socPct > config.outageReserve.reserveSocPct) continue;
    const earlier = previous.get(battery.id);
    const dischargingW = earlier?.kind === 'battery' ? earlier.powerW : (battery.powerW ?? 0);
    if (dischargingW > 0) requests.push({ kind: 'battery', deviceId: battery.id, powerW: 0 });
  }
  return requests;
};
