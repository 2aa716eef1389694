// The hard limits of one battery right now: how much it may charge and discharge, and which
// rule binds. Shared by the strategies (so they ask for what is feasible and can see what a
// battery cannot absorb) and by the safety envelope (which enforces them on every request).
import type { ControlConfig } from './control-config';
import type { ControlDevice } from './control-snapshot';

export type BatteryLimitReason =
  'stale' | 'nameplate' | 'bms' | 'soc_min' | 'soc_max' | 'soc_taper';

export interface BatteryLimits {
  /** Largest charge power allowed, W (>= 0; the setpoint may go down to -maxChargeW). */
  maxChargeW: number;
  /** Largest discharge power allowed, W (>= 0). */
  maxDischargeW: number;
  chargeBoundBy: BatteryLimitReason;
  dischargeBoundBy: BatteryLimitReason;
}

interface Bound {
  w: number;
  by: BatteryLimitReason;
}

/** The smallest of the known limits; no known limit means 0 W (never guess a rating). */
function tightest(rated: number | null, bms: number | null): Bound {
  let bound: Bound = { w: 0, by: 'nameplate' };
  if (rated !== null) bound = { w: rated, by: 'nameplate' };
  if (bms !== null && (rated === null || bms < rated)) bound = { w: bms, by: 'bms' };
  return bound;
}

/**
 * Stale or missing power/SoC → 0 W both ways (the safe fallback). Otherwise nameplate and
 * BMS limits, then the SoC window: no discharge at or below min, no charge at or above max,
 * and a linear taper within taperPct of either edge. Limits are floored to whole watts.
 */
export function batteryLimits(device: ControlDevice, soc: ControlConfig['soc']): BatteryLimits {
  if (device.stale || device.socPct === null) {
    return { maxChargeW: 0, maxDischargeW: 0, chargeBoundBy: 'stale', dischargeBoundBy: 'stale' };
  }
  const discharge = tightest(device.ratedPowerW, device.maxDischargeW);
  const charge = tightest(device.ratedPowerW, device.maxChargeW);
  const s = device.socPct;
  if (s <= soc.minPct) {
    Object.assign(discharge, { w: 0, by: 'soc_min' });
  } else if (soc.taperPct > 0 && s < soc.minPct + soc.taperPct) {
    Object.assign(discharge, {
      w: (discharge.w * (s - soc.minPct)) / soc.taperPct,
      by: 'soc_taper',
    });
  }
  if (s >= soc.maxPct) {
    Object.assign(charge, { w: 0, by: 'soc_max' });
  } else if (soc.taperPct > 0 && s > soc.maxPct - soc.taperPct) {
    Object.assign(charge, { w: (charge.w * (soc.maxPct - s)) / soc.taperPct, by: 'soc_taper' });
  }
  return {
    maxChargeW: Math.floor(charge.w),
    maxDischargeW: Math.floor(discharge.w),
    chargeBoundBy: charge.by,
    dischargeBoundBy: discharge.by,
  };
}

/** Batteries a strategy may steer: online with fresh power and SoC. */
export function controllableBatteries(devices: readonly ControlDevice[]): ControlDevice[] {
  return devices.filter((d) => d.role === 'battery' && d.online && !d.stale && d.socPct !== null);
}
