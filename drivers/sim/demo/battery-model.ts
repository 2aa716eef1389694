// The community battery as an energy store behind an inverter. Power is AC side, signs as
// in core/points/point-names.ts: > 0 discharge, < 0 charge. Losses sit between the AC
// terminals and the cells, so charging 1 kWh stores less than 1 kWh and discharging 1 kWh
// takes more than 1 kWh out of the cells.
import type { BatteryPhysics } from './demo-physics-config';

const MS_PER_H = 3_600_000;

export type BatteryLimit = 'max-charge' | 'max-discharge' | 'soc-min' | 'soc-max';

export interface BatteryDecision {
  powerW: number;
  /** Why the battery delivers less than asked; null when it delivers all of it. */
  limitedBy: BatteryLimit | null;
}

export function socWindowWh(b: BatteryPhysics): { minWh: number; maxWh: number } {
  return { minWh: (b.capacityWh * b.minSocPct) / 100, maxWh: (b.capacityWh * b.maxSocPct) / 100 };
}

/**
 * The integer AC power nearest to `requestW` (towards zero) that the battery can hold for
 * `durationMs` without exceeding its power limits or leaving its SoC window. Never reverses
 * the sign of the request. Looking ahead over the duration is what keeps SoC inside the
 * window exactly, however long the caller's step.
 */
export function limitBatteryPower(
  b: BatteryPhysics,
  storedWh: number,
  requestW: number,
  durationMs: number,
): BatteryDecision {
  if (!Number.isFinite(requestW))
    throw new RangeError(`battery request must be finite, got ${requestW}`);
  const hours = Math.max(1, durationMs) / MS_PER_H;
  const { minWh, maxWh } = socWindowWh(b);
  const request = Math.trunc(requestW);
  if (request > 0) {
    const socCapW = Math.floor((Math.max(0, storedWh - minWh) * b.dischargeEfficiency) / hours);
    return clampUp(request, b.maxDischargeW, 'max-discharge', socCapW, 'soc-min');
  }
  if (request < 0) {
    const socCapW = Math.floor(Math.max(0, maxWh - storedWh) / b.chargeEfficiency / hours);
    const up = clampUp(-request, b.maxChargeW, 'max-charge', socCapW, 'soc-max');
    // `|| 0`: a charge of -0 W would surprise every Object.is / toEqual comparison downstream.
    return { powerW: -up.powerW || 0, limitedBy: up.limitedBy };
  }
  return { powerW: 0, limitedBy: null };
}

function clampUp(
  requestW: number,
  ratedW: number,
  ratedWhy: BatteryLimit,
  socCapW: number,
  socWhy: BatteryLimit,
): BatteryDecision {
  const allowed = Math.min(ratedW, socCapW);
  if (requestW <= allowed) return { powerW: requestW, limitedBy: null };
  return { powerW: allowed, limitedBy: socCapW < ratedW ? socWhy : ratedWhy };
}

/**
 * Energy in the cells, from the AC energy counters (W·ms, exact integers). Derived from the
 * totals rather than updated step by step, so float rounding cannot depend on how time was
 * sliced: the same history gives the same SoC to the last bit.
 */
export function storedWhFromCounters(
  b: BatteryPhysics,
  initialWh: number,
  chargedWattMs: number,
  dischargedWattMs: number,
): number {
  const storedWh =
    initialWh +
    (chargedWattMs * b.chargeEfficiency - dischargedWattMs / b.dischargeEfficiency) / MS_PER_H;
  return Math.min(b.capacityWh, Math.max(0, storedWh));
}
