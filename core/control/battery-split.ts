// Splits a site-level battery power among several batteries in proportion to their rated
// power, so equal-sized units work equally hard. A battery that reaches its limit (nameplate,
// BMS or SoC) keeps that limit and the rest is shared again among the others ("water
// filling"), so one full battery does not make the whole site stop charging.
import type { BatteryLimits } from './battery-limits';

export interface SplitBattery {
  id: string;
  ratedPowerW: number | null;
  limits: BatteryLimits;
}

/**
 * totalW > 0 discharge, < 0 charge. Returns whole watts per battery (truncated toward zero,
 * so no share exceeds its limit); the sum is at most |totalW| and at most what the limits
 * allow. Weight: rated power when known, else the battery's limit in that direction.
 */
export function splitBatteryPowerW(
  totalW: number,
  batteries: readonly SplitBattery[],
): Map<string, number> {
  const result = new Map<string, number>(batteries.map((b) => [b.id, 0]));
  if (!Number.isFinite(totalW) || totalW === 0) return result;
  const sign = totalW > 0 ? 1 : -1;
  const capOf = (b: SplitBattery): number =>
    sign > 0 ? b.limits.maxDischargeW : b.limits.maxChargeW;
  const weightOf = (b: SplitBattery): number =>
    b.ratedPowerW !== null && b.ratedPowerW > 0 ? b.ratedPowerW : capOf(b);
  let active = batteries.filter((b) => capOf(b) > 0 && weightOf(b) > 0);
  let remainingW = Math.abs(totalW);
  const shares = new Map<string, number>();
  while (active.length > 0 && remainingW > 0) {
    const weights = active.reduce((sum, b) => sum + weightOf(b), 0);
    const saturated = active.filter((b) => (remainingW * weightOf(b)) / weights >= capOf(b));
    if (saturated.length === 0) {
      for (const b of active) shares.set(b.id, (remainingW * weightOf(b)) / weights);
      break;
    }
    for (const b of saturated) {
      shares.set(b.id, capOf(b));
      remainingW -= capOf(b);
    }
    active = active.filter((b) => !saturated.includes(b));
  }
  for (const [id, w] of shares) result.set(id, sign * Math.trunc(w) || 0); // no -0
  return result;
}
