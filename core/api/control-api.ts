// The control part of the station contract: what the Control page shows (mode, strategies,
// cycle time, island state, every device's setpoint against its limits and why) and what an
// operator may change.
import type { ControlDecision } from '../control/control-cycle';
import type { ControlConfig, StrategyName } from '../control/control-config';
import type { ConfigChange, ControlConfigPatch } from '../control/control-config-edit';
import type { Setpoint } from '../control/setpoint-types';
import type { Problem } from '../result';

export type { ControlConfig, StrategyName, TouWindow } from '../control/control-config';
export type { ConfigChange, ConfigValue, ControlConfigPatch } from '../control/control-config-edit';
export type { ControlDecision } from '../control/control-cycle';
export type { Setpoint } from '../control/setpoint-types';

export type ControlMode = 'auto' | 'monitor';

export interface ControlView {
  mode: ControlMode;
  config: ControlConfig;
  cycle: { count: number; lastMs: number; maxMs: number; overruns: number };
  islandPhase: string;
  batteryMode: string;
  shedLoadIds: string[];
  /** This cycle's decision per device: requested, applied, written, reasons, limits. */
  decisions: ControlDecision[];
  /** The last write sent to each device and whether the device took it. */
  writes: Array<{
    deviceId: string;
    atMs: number;
    setpoint: Setpoint;
    ok: boolean;
    error: string | null;
  }>;
  /** Operator setpoints in force (strategies may only narrow them). */
  operator: Array<{ setpoint: Setpoint; untilMs: number }>;
  /**
   * Why the parameters stored in station.db were not taken at start (defaults run instead),
   * until an operator saves parameters; null otherwise.
   */
  settingsProblem: string | null;
  /** Mode and strategy changes and island steps, newest first. */
  history: Array<{
    atMs: number;
    actor: string;
    action: string;
    target: string;
    result: 'ok' | 'refused' | 'failed';
    detail: string;
  }>;
}

export interface ControlPreview {
  /** The envelope's decision on the current snapshot; null before the first cycle. */
  decision: ControlDecision | null;
  gridNowW: number | null;
  /** Grid power if the load stays as it is (battery setpoints only). */
  gridExpectedW: number | null;
}

export interface ControlCommandRequest {
  setpoint: Setpoint;
  /** How long the operator setpoint stays in force, s (then strategies take over). */
  durationS: number;
}

export interface SetStrategiesRequest {
  strategies: StrategyName[];
}

/** Control parameters to change: any part of the config, lists (strategies, windows) whole. */
export interface SetConfigRequest {
  config: ControlConfigPatch;
}

export interface ControlConfigPreview {
  /** Field by field, what would change; empty when nothing would. */
  changes: ConfigChange[];
  /** Why the station would refuse it (`path` names the field); null when it would apply. */
  problem: Problem | null;
}
