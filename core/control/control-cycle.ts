// One control cycle, pure: frozen snapshot → island state machine → strategies (grid present)
// or island requests → narrowing composition (operator first) → safety envelope → writes.
// The station calls it every cycleMs with the state the previous call returned, sends the
// writes first in the next bus cycle, and records decisions and events (ledger, alarms).
// Cycle time and overruns are measured by the caller: nothing here reads a clock.
import { localMinuteOfDay } from '../ledger/disconnect-policy';
import type { Snapshot } from '../points/snapshot';
import type { Site } from '../site/site-types';
import { composeRequests, mergeRequests, type SourcedSetpoint } from './compose-strategies';
import type { ControlConfig } from './control-config';
import { buildControlSnapshot, type ControlSnapshot } from './control-snapshot';
import type { EnvelopeDecision, LastWrite, SetpointWrite } from './envelope-types';
import { stepIsland } from './island-machine';
import {
  initialIslandState,
  type BatteryMode,
  type IslandEvent,
  type IslandPhase,
  type IslandState,
} from './island-types';
import { applyEnvelope } from './safety-envelope';
import type { ComposedRequest, RequestSource, Setpoint } from './setpoint-types';
import { enabledStrategies } from './strategies/strategy-registry';
import type { MarketPosition } from './strategies/strategy-types';

export interface ControlState {
  /** Live setpoints by device id (what each device runs until its revert timer fires). */
  lastWrites: Readonly<Record<string, LastWrite>>;
  island: IslandState;
}

export function initialControlState(): ControlState {
  return { lastWrites: {}, island: initialIslandState() };
}

export interface ControlInputs {
  /** Manual setpoints; strategies and island mode can only narrow them. */
  operatorRequests?: readonly Setpoint[];
  /** The batteries' cleared position for the current market interval. */
  marketPosition?: MarketPosition | null;
  /** Minutes after local midnight; default computed from nowMs and site.timezone. */
  localMinuteOfDay?: number;
  /**
   * Overrides what the snapshot's battery inverters report (ControlSiteView.inverterIslanded,
   * from their gridConnected point); undefined or null: theirs is used.
   */
  inverterIslanded?: boolean | null;
}

export interface ControlDecision extends EnvelopeDecision {
  requestedBy: RequestSource;
  narrowedBy: RequestSource[];
  refused: ComposedRequest['refused'];
}

export interface ControlCycleResult {
  writes: SetpointWrite[];
  decisions: ControlDecision[];
  events: IslandEvent[];
  batteryMode: BatteryMode;
  islandPhase: IslandPhase;
  shedLoadIds: string[];
  snapshot: ControlSnapshot;
  nextState: ControlState;
}

export function controlCycle(
  snapshot: Snapshot,
  site: Site,
  config: ControlConfig,
  state: ControlState,
  inputs: ControlInputs = {},
): ControlCycleResult {
  const view = buildControlSnapshot(snapshot, site, snapshot.tsMs);
  const island = stepIsland(
    view,
    config,
    state.island,
    inputs.inverterIslanded ?? view.site.inverterIslanded,
  );
  const gridForming = island.batteryMode === 'grid-forming';
  const seed: SourcedSetpoint[] = (inputs.operatorRequests ?? []).map((setpoint) => ({
    source: 'operator',
    setpoint,
  }));
  const islandRequests = island.requests.map((setpoint) => ({ source: 'island', setpoint }));

  let composed: ComposedRequest[];
  if (gridForming) {
    const merged = new Map<string, ComposedRequest>();
    mergeRequests(merged, seed);
    mergeRequests(merged, islandRequests);
    composed = [...merged.values()];
  } else {
    const needsClock =
      config.strategies.includes('tou-charging') && config.touCharging.windows.length > 0;
    const strategyInputs = {
      localMinuteOfDay:
        inputs.localMinuteOfDay ?? (needsClock ? localMinuteOfDay(view.nowMs, site.timezone) : 0),
      marketPosition: inputs.marketPosition ?? null,
    };
    const merged = new Map<string, ComposedRequest>();
    for (const r of composeRequests(
      view,
      config,
      strategyInputs,
      enabledStrategies(config),
      seed,
    )) {
      merged.set(r.setpoint.deviceId, r);
    }
    mergeRequests(merged, islandRequests);
    composed = [...merged.values()];
  }

  const envelope = applyEnvelope(
    view,
    config,
    state.lastWrites,
    composed.map((r) => r.setpoint),
    { batteryGridForming: gridForming },
  );
  const byDevice = new Map(composed.map((r) => [r.setpoint.deviceId, r]));
  const decisions: ControlDecision[] = envelope.decisions.map((d) => {
    const origin = byDevice.get(d.deviceId);
    return {
      ...d,
      requestedBy: origin?.requestedBy ?? 'station',
      narrowedBy: origin?.narrowedBy ?? [],
      refused: origin?.refused ?? [],
    };
  });
  return {
    writes: envelope.writes,
    decisions,
    events: island.events,
    batteryMode: island.batteryMode,
    islandPhase: island.state.phase,
    shedLoadIds: island.state.shed.map((s) => s.deviceId),
    snapshot: view,
    nextState: { lastWrites: envelope.lastWrites, island: island.state },
  };
}
