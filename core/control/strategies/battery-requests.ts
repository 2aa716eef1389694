// Turns a site-level battery power into one request per battery (split by rated power).
import { batteryLimits } from '../battery-limits';
import { splitBatteryPowerW } from '../battery-split';
import type { ControlConfig } from '../control-config';
import type { ControlDevice } from '../control-snapshot';
import type { BatterySetpoint } from '../setpoint-types';

export function batteryRequests(
  totalW: number,
  batteries: readonly ControlDevice[],
  config: ControlConfig,
): BatterySetpoint[] {
  const shares = splitBatteryPowerW(
    totalW,
    batteries.map((b) => ({
      id: b.id,
      ratedPowerW: b.ratedPowerW,
      limits: batteryLimits(b, config.soc),
    })),
  );
  return batteries.map((b) => ({ kind: 'battery', deviceId: b.id, powerW: shares.get(b.id) ?? 0 }));
}

/** Safe fallback when a strategy lacks the data it needs: hold the batteries at 0 W. */
export function holdAtZero(batteries: readonly ControlDevice[]): BatterySetpoint[] {
  return batteries.map((b) => ({ kind: 'battery', deviceId: b.id, powerW: 0 }));
}

export const sumPowerW = (devices: readonly ControlDevice[]): number =>
  devices.reduce((sum, d) => sum + (d.powerW ?? 0), 0);
