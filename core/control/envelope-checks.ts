// Per-kind checks of the safety envelope. Each turns one request into the value the device
// may have (or none), with the reasons; the common timing rules (hold, dedupe, rewrite) are
// applied afterwards in safety-envelope.ts.
//
// Battery order: invalid → 0 W; ramp from the live setpoint (or the measured power) by at
// most rampWPerS × elapsed; then the hard limits (stale → 0 W, nameplate/BMS, SoC window).
// Hard limits come last and always contain 0 W, so they can only pull the value toward zero:
// a safety cut is never slowed by the ramp, and the ramp is never exceeded except by a cut.
import { batteryLimits, type BatteryLimits } from './battery-limits';
import type { ControlConfig } from './control-config';
import type { ControlDevice } from './control-snapshot';
import type { EnvelopeReason, LastWrite } from './envelope-types';
import type { BatterySetpoint, LoadSetpoint, PvLimitSetpoint, Setpoint } from './setpoint-types';

export interface Check {
  /** The value the envelope allows, or null when nothing may be written. */
  allowed: Setpoint | null;
  reasons: EnvelopeReason[];
  /** The live setpoint breaks the envelope now: write even inside the minimum interval. */
  urgent: boolean;
  limits?: BatteryLimits;
}

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

export function checkBattery(
  device: ControlDevice,
  request: BatterySetpoint,
  live: LastWrite | undefined,
  nowMs: number,
  config: ControlConfig,
): Check {
  const reasons: EnvelopeReason[] = [];
  let targetW = request.powerW;
  if (!Number.isFinite(targetW)) {
    reasons.push('invalid_request');
    targetW = 0;
  }
  const limits = batteryLimits(device, config.soc);
  const lo = -limits.maxChargeW;
  const hi = limits.maxDischargeW;
  if (targetW > hi) reasons.push(limits.dischargeBoundBy);
  if (targetW < lo) reasons.push(limits.chargeBoundBy);

  const liveW = live?.setpoint.kind === 'battery' ? live.setpoint.powerW : null;
  const referenceW = liveW ?? (device.powerW !== null ? Math.round(device.powerW) : 0);
  const elapsedMs = live ? nowMs - live.writtenMs : config.cycleMs;
  const stepW = Math.floor((config.rampWPerS * Math.max(0, elapsedMs)) / 1000);
  const rampedW = clamp(targetW, referenceW - stepW, referenceW + stepW);
  const powerW = Math.trunc(clamp(rampedW, lo, hi)) || 0;
  if (powerW !== (Math.trunc(clamp(targetW, lo, hi)) || 0)) reasons.push('ramp');

  return {
    allowed: { kind: 'battery', deviceId: device.id, powerW },
    reasons: unique(reasons),
    urgent: liveW !== null && (liveW > hi || liveW < lo),
    limits,
  };
}

export function checkPv(
  device: ControlDevice,
  request: PvLimitSetpoint,
  live: LastWrite | undefined,
): Check {
  const reasons: EnvelopeReason[] = [];
  if (!Number.isFinite(request.limitPct)) {
    return { allowed: null, reasons: ['invalid_request'], urgent: false };
  }
  let limitPct = clamp(request.limitPct, 0, 100);
  if (limitPct !== request.limitPct) reasons.push('pv_range');
  if (device.stale) {
    // Keep curtailment as it is: on stale data a limit may go down, never up.
    const liveLimit = live?.setpoint.kind === 'pv-limit' ? live.setpoint.limitPct : null;
    if (liveLimit === null) return { allowed: null, reasons: [...reasons, 'stale'], urgent: false };
    if (limitPct > liveLimit) {
      limitPct = liveLimit;
      reasons.push('stale');
    }
  }
  limitPct = Math.floor(limitPct * 10) / 10;
  return { allowed: { kind: 'pv-limit', deviceId: device.id, limitPct }, reasons, urgent: false };
}

export function checkLoad(
  device: ControlDevice,
  request: LoadSetpoint,
  live: LastWrite | undefined,
): Check {
  const liveOn = live?.setpoint.kind === 'load' ? live.setpoint.on : null;
  // Switching a load on when its meter cannot be seen is not safe; switching off always is.
  if (request.on && device.stale && liveOn !== true) {
    return { allowed: null, reasons: ['stale'], urgent: false };
  }
  // A switch-off is the safe direction: it is never held by the minimum interval.
  return {
    allowed: { kind: 'load', deviceId: device.id, on: request.on },
    reasons: [],
    urgent: !request.on && liveOn !== false,
  };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
