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

export interface SetStrategiesRequest {
  strategies: StrategyName[];
}
