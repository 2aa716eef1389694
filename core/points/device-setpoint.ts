// What the station asks of one device, after the safety envelope: a battery power, a PV
// limit or a load switch, always with a revert time so the device falls back on its own
// if the station stops re-writing. Drivers turn it into their protocol's writes.
import type { Problem, Result } from '../result';

export type DeviceSetpoint =
  /** Battery active power, W: > 0 discharge, < 0 charge. */
  | { kind: 'battery'; powerW: number; revertSeconds: number }
  /** PV active power limit in % of the inverter's rating. */
  | { kind: 'pv-limit'; limitPct: number; revertSeconds: number }
  /** Switchable load: true supplies it, false sheds it. */
  | { kind: 'load'; on: boolean; revertSeconds: number };

export interface SetpointOutcome {
  /** What the device reports after the write (devices may round), in the setpoint's unit. */
  appliedValue: number | boolean | null;
}

export type SetpointResult = Result<SetpointOutcome, Problem>;

/** A driver that can act on setpoints (poll-only drivers do not implement it). */
export interface SetpointTarget {
  apply(setpoint: DeviceSetpoint): Promise<SetpointResult>;
}
