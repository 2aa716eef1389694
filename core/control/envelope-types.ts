// What the safety envelope returns: the writes for this cycle and, for every request, what
// became of it and why, in words the Control page and the ledger can show.
import type { DeviceSetpoint } from '../points/device-setpoint';
import type { Setpoint, SetpointKind } from './setpoint-types';

export type EnvelopeReason =
  /** No such device in the site, or a request of the wrong kind for its role. */
  | 'unknown_device'
  | 'wrong_role'
  /** Not online (offline, disabled, still connecting): nothing is written. */
  | 'offline'
  /** NaN/Infinity asked: battery → 0 W, PV → no write. */
  | 'invalid_request'
  /** In island mode the grid-forming battery takes no power setpoint. */
  | 'grid_forming'
  /** Stale or missing telemetry: battery → 0 W, PV limit never raised, load not switched on. */
  | 'stale'
  | 'nameplate'
  | 'bms'
  | 'soc_min'
  | 'soc_max'
  | 'soc_taper'
  | 'ramp'
  | 'pv_range'
  /** Held: the device was written less than minWriteIntervalMs ago. */
  | 'min_interval'
  /** Same value as the live setpoint and its rewrite is not due: no write. */
  | 'unchanged'
  /** Same value, rewritten before its revert timer expires. */
  | 'rewrite';

/** The last setpoint written to a device; it reverts after revertSeconds unless rewritten. */
export interface LastWrite {
  setpoint: Setpoint;
  writtenMs: number;
  revertSeconds: number;
  rewriteDueMs: number;
}

export interface SetpointWrite {
  deviceId: string;
  setpoint: Setpoint;
  /** Revert timer to write with the setpoint (SunSpec *_RvrtTms), s. */
  revertSeconds: number;
  /** Rewrite (even unchanged) no later than this, UTC ms. */
  rewriteDueMs: number;
}

export interface EnvelopeDecision {
  deviceId: string;
  kind: SetpointKind;
  requested: Setpoint;
  /** What the device runs after this cycle as far as the station knows; null if unknown. */
  applied: Setpoint | null;
  written: boolean;
  reasons: EnvelopeReason[];
  /** Battery limits used this cycle, W (for "setpoint vs limits"). */
  limits?: { maxChargeW: number; maxDischargeW: number };
}

export interface EnvelopeResult {
  writes: SetpointWrite[];
  decisions: EnvelopeDecision[];
  /** Live setpoints after this cycle (expired ones dropped: the device has reverted). */
  lastWrites: Record<string, LastWrite>;
}

/** What a driver receives for a write: the setpoint with the envelope's revert time. */
export function toDeviceSetpoint(write: SetpointWrite): DeviceSetpoint {
  const s = write.setpoint;
  if (s.kind === 'battery')
    return { kind: 'battery', powerW: s.powerW, revertSeconds: write.revertSeconds };
  if (s.kind === 'pv-limit')
    return { kind: 'pv-limit', limitPct: s.limitPct, revertSeconds: write.revertSeconds };
  return { kind: 'load', on: s.on, revertSeconds: write.revertSeconds };
}
