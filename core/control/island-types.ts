// State, events and output of the island state machine (island-machine.ts).
//
//   grid-connected ──grid lost (confirmed)──▶ islanded ──grid back──▶ reconnect-wait
//        ▲                                       ▲                         │
//        │                                       └──grid lost/unknown──────┤
//        │                                                      enterServiceDelayS
//        └──all shed loads back── restoring ◀──────────────────────────────┘
//                                   │ (grid lost again → islanded)
import type { Setpoint } from './setpoint-types';
import type { GridLossReason } from './grid-detection';

export type IslandPhase = 'grid-connected' | 'islanded' | 'reconnect-wait' | 'restoring';

/** How the battery inverter must run: following the grid, or forming it in island. */
export type BatteryMode = 'grid-following' | 'grid-forming';

export interface ShedLoad {
  deviceId: string;
  memberId: string | null;
  critical: boolean;
  /** Power the load drew when it was shed (0 if unknown): what restoring it will cost. */
  powerW: number;
  shedMs: number;
}

export interface IslandState {
  phase: IslandPhase;
  /** When the current phase began, UTC ms (null before the first cycle). */
  phaseSinceMs: number | null;
  /** Consecutive cycles with the grid judged lost while connected. */
  lossCycles: number;
  /** Loads switched off by island mode, in the order they were shed. */
  shed: ShedLoad[];
  /** Last shed or restore step, UTC ms. */
  lastStepMs: number | null;
}

export type ShedReason = 'soc_low' | 'soc_critical' | 'power_overload';
export type RestoreReason = 'energy_recovered' | 'restore_step';

export type IslandEvent =
  | { kind: 'island_entered'; atMs: number; reason: GridLossReason }
  | { kind: 'grid_returned'; atMs: number; reason: 'grid_in_range'; waitS: number }
  | { kind: 'reconnect_aborted'; atMs: number; reason: GridLossReason | 'grid_unknown' }
  | { kind: 'grid_reconnected'; atMs: number; reason: 'enter_service_delay_elapsed' }
  | { kind: 'island_left'; atMs: number; reason: 'all_loads_restored' }
  | {
      kind: 'load_shed';
      atMs: number;
      reason: ShedReason;
      deviceId: string;
      memberId: string | null;
      critical: boolean;
    }
  | {
      kind: 'load_restored';
      atMs: number;
      reason: RestoreReason;
      deviceId: string;
      memberId: string | null;
      critical: boolean;
    };

export interface IslandOutput {
  state: IslandState;
  events: IslandEvent[];
  batteryMode: BatteryMode;
  /** Loads to keep off / switch back on, PV limits; all go through the safety envelope. */
  requests: Setpoint[];
}

export function initialIslandState(): IslandState {
  return { phase: 'grid-connected', phaseSinceMs: null, lossCycles: 0, shed: [], lastStepMs: null };
}
