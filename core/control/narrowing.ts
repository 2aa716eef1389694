// The narrowing rule of composition (OpenEMS style): the first party to ask for a device sets
// its request; every later party may only move it toward the safe value, never away:
//
//   battery  the new power lies between 0 W and the earlier power (same sign, not larger):
//            a discharge may shrink to 0, a charge may shrink to 0; crossing zero or growing
//            is a widening. 0 W is the narrowest request: nobody can move it afterwards.
//   pv-limit the new limit is at most the earlier one (curtail more, never less).
//   load     an earlier `on` may become `off`; an earlier `off` stays off.
//
// A widening is not dropped silently: it is clamped to the nearest allowed value (the
// earlier value for PV and loads, the earlier power or 0 for batteries) and recorded.
import { sameSetpoint, type Setpoint } from './setpoint-types';

export type NarrowOutcome =
  | { kind: 'narrowed'; setpoint: Setpoint }
  | { kind: 'unchanged'; setpoint: Setpoint }
  | { kind: 'clamped'; setpoint: Setpoint; why: 'widening' | 'invalid' | 'kind_mismatch' };

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Applies a later request `next` to the earlier `earlier` for the same device. */
export function narrow(earlier: Setpoint, next: Setpoint): NarrowOutcome {
  if (earlier.kind === 'battery' && next.kind === 'battery') {
    if (!Number.isFinite(next.powerW))
      return { kind: 'clamped', setpoint: earlier, why: 'invalid' };
    const lo = Math.min(0, earlier.powerW);
    const hi = Math.max(0, earlier.powerW);
    const powerW = clamp(next.powerW, lo, hi) || 0;
    return outcome(earlier, { ...earlier, powerW }, powerW !== next.powerW);
  }
  if (earlier.kind === 'pv-limit' && next.kind === 'pv-limit') {
    if (!Number.isFinite(next.limitPct)) {
      return { kind: 'clamped', setpoint: earlier, why: 'invalid' };
    }
    const limitPct = Math.min(earlier.limitPct, next.limitPct);
    return outcome(earlier, { ...earlier, limitPct }, limitPct !== next.limitPct);
  }
  if (earlier.kind === 'load' && next.kind === 'load') {
    const on = earlier.on && next.on;
    return outcome(earlier, { ...earlier, on }, on !== next.on);
  }
  return { kind: 'clamped', setpoint: earlier, why: 'kind_mismatch' };
}

function outcome(earlier: Setpoint, result: Setpoint, clamped: boolean): NarrowOutcome {
  if (clamped) return { kind: 'clamped', setpoint: result, why: 'widening' };
  return sameSetpoint(earlier, result)
    ? { kind: 'unchanged', setpoint: result }
    : { kind: 'narrowed', setpoint: result };
}
