// What the control layer may ask of a device. Strategies, the island controller and the
// operator all speak in these requests; only the safety envelope turns them into writes.
// Signs as in core/points/point-names.ts: battery power > 0 discharge, < 0 charge.

/** Battery active power setpoint in W: > 0 discharge into the site, < 0 charge. */
export interface BatterySetpoint {
  kind: 'battery';
  deviceId: string;
  powerW: number;
}

/** PV inverter active power limit in % of its rated power (SunSpec 123/704 WMaxLimPct). */
export interface PvLimitSetpoint {
  kind: 'pv-limit';
  deviceId: string;
  limitPct: number;
}

/** Switchable load: true = supplied, false = switched off (shed). */
export interface LoadSetpoint {
  kind: 'load';
  deviceId: string;
  on: boolean;
}

export type Setpoint = BatterySetpoint | PvLimitSetpoint | LoadSetpoint;
export type SetpointKind = Setpoint['kind'];

/** Who asked: `operator`, a strategy name, `island`, or `station` (held setpoints). */
export type RequestSource = string;

/** A request after composition: the setpoint and every party that shaped it, in order. */
export interface ComposedRequest {
  setpoint: Setpoint;
  /** The first party to ask for this device. */
  requestedBy: RequestSource;
  /** Later parties that narrowed it (empty if nobody did). */
  narrowedBy: RequestSource[];
  /** Later requests that tried to widen it and were clamped or ignored. */
  refused: {
    source: RequestSource;
    asked: Setpoint;
    why: 'widening' | 'invalid' | 'kind_mismatch';
  }[];
}

export function sameSetpoint(a: Setpoint, b: Setpoint): boolean {
  if (a.deviceId !== b.deviceId) return false;
  if (a.kind === 'battery' && b.kind === 'battery') return a.powerW === b.powerW;
  if (a.kind === 'pv-limit' && b.kind === 'pv-limit') return a.limitPct === b.limitPct;
  if (a.kind === 'load' && b.kind === 'load') return a.on === b.on;
  return false;
}
