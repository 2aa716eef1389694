// PV limits (WMaxLimPct) that move the PV inverters' total output by a wanted amount,
// shared in proportion to what each produces now (cuts) or to its rating (raises). Used by
// the export limit and by island mode (full battery). A limit is never raised while
// cutting, and is floored to 0.1 % so rounding never gives back power.
import type { ControlDevice } from './control-snapshot';
import type { PvLimitSetpoint } from './setpoint-types';

/** PV inverters whose output control may steer: online with fresh power. */
export function controllablePv(devices: readonly ControlDevice[]): ControlDevice[] {
  return devices.filter((d) => d.role === 'pv-inverter' && d.online && !d.stale);
}

const floorPct = (v: number): number => Math.floor(Math.min(100, Math.max(0, v)) * 10) / 10;

/**
 * changeW < 0: reduce the total PV output by |changeW| W (curtail);
 * changeW > 0: allow up to changeW W more (release curtailment; only limits below 100 %).
 * Returns no request when nothing is to be done.
 */
export function pvLimitsForChange(
  pvs: readonly ControlDevice[],
  changeW: number,
): PvLimitSetpoint[] {
  if (!Number.isFinite(changeW) || changeW === 0 || pvs.length === 0) return [];
  const limitOf = (d: ControlDevice): number => d.powerLimitPct ?? 100;
  const powerOf = (d: ControlDevice): number => d.powerW ?? 0;
  const totalW = pvs.reduce((sum, d) => sum + powerOf(d), 0);
  if (changeW < 0) {
    if (totalW <= 0) return [];
    const factor = Math.max(0, totalW + changeW) / totalW;
    return pvs.map((d) => {
      const rated = d.ratedPowerW;
      const wanted =
        rated !== null && rated > 0 ? (100 * powerOf(d) * factor) / rated : limitOf(d) * factor;
      return pv(d.id, Math.min(limitOf(d), wanted));
    });
  }
  const curtailed = pvs.filter((d) => limitOf(d) < 100);
  if (curtailed.length === 0) return [];
  const weightOf = (d: ControlDevice): number =>
    d.ratedPowerW !== null && d.ratedPowerW > 0 ? d.ratedPowerW : 1;
  const weights = curtailed.reduce((sum, d) => sum + weightOf(d), 0);
  return curtailed.map((d) => {
    const shareW = (changeW * weightOf(d)) / weights;
    const rated = d.ratedPowerW;
    const wanted =
      rated !== null && rated > 0
        ? (100 * (powerOf(d) + shareW)) / rated
        : totalW > 0
          ? limitOf(d) * (1 + changeW / totalW)
          : 100;
    return pv(d.id, Math.max(limitOf(d), wanted));
  });
}

function pv(deviceId: string, limitPct: number): PvLimitSetpoint {
  return { kind: 'pv-limit', deviceId, limitPct: floorPct(limitPct) };
}
