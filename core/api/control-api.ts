// The control part of the station contract: what the Control page shows (mode, strategies,
// cycle time, island state, every device's setpoint against its limits and why) and what an
// operator may change.
import type { ControlDecision } from '../control/control-cycle';
import type { ControlConfig, StrategyName } from '../control/control-config';
import type { Setpoint } from '../control/setpoint-types';

export type { ControlConfig, StrategyName } from '../control/control-config';
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
