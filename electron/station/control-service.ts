// The control loop in the station: every snapshot (1 s) runs one pure control cycle
// (core/control: island machine → strategies → narrowing → safety envelope), measures how
// long it took, sends the envelope's writes to the devices (first thing in each device's
// next poll), records island steps in the ledger and raises control alarms.
//
// Mode `auto` sends writes; `monitor` runs the same cycle and shows what it would do
// without writing anything. A site from a file starts in monitor: a newly commissioned
// site never starts moving hardware until an operator switches it to auto. The demo starts
// in auto. Parameters and mode are kept in station.db; which of them a restart resumes is
// control-start.ts's rule. Every change is stored first, then applied, then recorded in the
// ledger with its field-level difference.
import { toDeviceSetpoint } from '../../core/control/envelope-types';
import type { Condition } from '../../core/alarms/alarm-engine';
import { currentActor, currentRoleField } from './caller-context';
import type { AlarmRule } from '../../core/alarms/alarm-engine';
import type {
  ControlCycleResult,
  ControlDecision,
  ControlState,
  IslandEvent,
  SetpointWrite,
} from '../../core/control';
import { applyEnvelope, controlCycle, initialControlState } from '../../core/control';
import type { Setpoint } from '../../core/control/setpoint-types';
import type { ControlConfig, StrategyName } from '../../core/control/control-config';
import {
  applyControlPatch,
  describeChanges,
  type ConfigChange,
  type ControlConfigPatch,
} from '../../core/control/control-config-edit';
import type { ControlSettingsStore } from '../../core/control/control-settings-repository';
import type { Problem, Result } from '../../core/result';
import type { Ledger } from '../../core/ledger/ledger-repository';
import type { DeviceSetpoint, SetpointResult } from '../../core/points/device-setpoint';
import type { Snapshot } from '../../core/points/snapshot';
import type { Site } from '../../core/site/site-types';
import { ControlSettingsKeeper } from './control-settings';
import { startSettings } from './control-start';

export type ControlMode = 'auto' | 'monitor';

export interface ControlServiceDeps {
  site(): Site;
  apply(deviceId: string, setpoint: DeviceSetpoint): Promise<SetpointResult>;
  ledger: Ledger;
  /** The mode without stored settings: auto for the demo, monitor for a site from a file. */
  mode: ControlMode;
  /** Whether a stored mode may resume at start (control-start.ts); the demo does not. */
  resumeMode?: boolean;
  /** Parameters and mode in station.db; absent: nothing survives a restart. */
  settings?: ControlSettingsStore | null;
  log(line: string): void;
  /** Wall-clock ms for measuring the cycle (performance.now in the station). */
  monotonicMs(): number;
  /** Station time, UTC ms (for what happens outside a cycle, e.g. at start). */
  nowMs(): number;
}

export interface WriteOutcome {
  deviceId: string;
  atMs: number;
  setpoint: SetpointWrite['setpoint'];
  ok: boolean;
  error: string | null;
}

export interface ControlHistoryItem {
  atMs: number;
  actor: string;
  action: string;
  target: string;
  result: 'ok' | 'refused' | 'failed';
  detail: string;
}

const RULES = {
  island: { kind: 'island', severity: 'major', raiseDelayMs: 0, clearDelayMs: 0 },
  shed: { kind: 'load-shed', severity: 'minor', raiseDelayMs: 0, clearDelayMs: 0 },
  overrun: { kind: 'cycle-overrun', severity: 'minor', raiseDelayMs: 0, clearDelayMs: 30_000 },
  settings: { kind: 'control-settings', severity: 'minor', raiseDelayMs: 0, clearDelayMs: 0 },
} as const satisfies Record<string, AlarmRule>;

const HISTORY_LENGTH = 200;

export class ControlService {
  #state: ControlState = initialControlState();
  #config: ControlConfig;
  #mode: ControlMode;
  #last: ControlCycleResult | null = null;
  #cycles = 0;
  #overruns = 0;
  #lastCycleMs = 0;
  #maxCycleMs = 0;
  #overrunSinceMs: number | null = null;
  readonly #writes = new Map<string, WriteOutcome>();
  /** Operator setpoints in force, by device, until their end (strategies may only narrow them). */
  readonly #operator = new Map<string, { setpoint: Setpoint; untilMs: number }>();
  readonly #history: ControlHistoryItem[] = [];
  readonly #settings: ControlSettingsKeeper;
  /** Why the stored parameters were refused at start; cleared by the next saved change. */
  #settingsProblem: string | null;

  constructor(private readonly deps: ControlServiceDeps) {
    const site = deps.site();
    this.#settings = new ControlSettingsKeeper(deps.settings ?? null, site);
    const start = startSettings({
      stored: this.#settings.load(),
      site,
      siteHash: this.#settings.siteHash,
      defaultMode: deps.mode,
      resumeMode: deps.resumeMode ?? false,
    });
    this.#config = start.config;
    this.#mode = start.mode;
    this.#settingsProblem = start.problem;
    if (start.detail) {
      deps.log(`control: ${start.detail}`);
      const result = start.problem ? 'refused' : 'ok';
      this.#audit(deps.nowMs(), 'restore-settings', 'control', result, start.detail, 'station');
    }
  }

  get mode(): ControlMode {
    return this.#mode;
  }

  get config(): ControlConfig {
    return this.#config;
  }

  onSnapshot(snapshot: Snapshot): void {
    const started = this.deps.monotonicMs();
    try {
      this.#settings.follow(this.deps.site(), this.#config, this.#mode, snapshot.tsMs);
    } catch (error) {
      // Only the stored site hash is behind (a restart would then start in monitor): the
      // cycle itself must go on.
      this.deps.log(`control: storing settings after a site change: ${String(error)}`);
    }
    for (const [id, o] of this.#operator) if (o.untilMs <= snapshot.tsMs) this.#operator.delete(id);
    const operatorRequests = [...this.#operator.values()].map((o) => o.setpoint);
    const result = controlCycle(snapshot, this.deps.site(), this.#config, this.#state, {
      operatorRequests,
    });
    this.#state = result.nextState;
    this.#last = result;
    if (this.#mode === 'auto') for (const write of result.writes) this.#send(write, snapshot.tsMs);
    this.#record(result.events);
    const tookMs = this.deps.monotonicMs() - started;
    this.#cycles += 1;
    this.#lastCycleMs = tookMs;
    this.#maxCycleMs = Math.max(this.#maxCycleMs, tookMs);
    if (tookMs > this.#config.cycleMs) {
      this.#overruns += 1;
      this.#overrunSinceMs = snapshot.tsMs;
    }
  }

  /** Control's own alarm conditions, for the alarm service. */
  conditions(nowMs: number): Condition[] {
    const last = this.#last;
    const conditions: Condition[] = [
      {
        key: 'island',
        rule: RULES.island,
        active: last !== null && last.islandPhase !== 'grid-connected',
        message: `the microgrid runs as an island (${last?.islandPhase ?? ''})`,
        source: 'grid',
      },
      {
        key: 'cycle-overrun',
        rule: RULES.overrun,
        active: this.#overrunSinceMs !== null && nowMs - this.#overrunSinceMs < 10_000,
        message: `a control cycle took ${Math.round(this.#lastCycleMs)} ms (limit ${this.#config.cycleMs} ms)`,
        source: 'control',
      },
    ];
    conditions.push({
      key: 'control-settings',
      rule: RULES.settings,
      active: this.#settingsProblem !== null,
      message: `stored control parameters were refused at start (${this.#settingsProblem ?? ''}); defaults in force until an operator saves parameters`,
      source: 'control',
    });
    for (const id of last?.shedLoadIds ?? [])
      conditions.push({
        key: `load-shed:${id}`,
        rule: RULES.shed,
        active: true,
        message: `load ${id} is switched off to keep the island running`,
        source: id,
      });
    return conditions;
  }

  setMode(mode: ControlMode, nowMs: number): void {
    if (mode === this.#mode) return;
    this.#store(this.#config, mode, nowMs);
    this.#audit(nowMs, 'set-mode', 'control', 'ok', `${this.#mode} → ${mode}`);
    this.#mode = mode;
  }

  setStrategies(strategies: StrategyName[], nowMs: number): void {
    const before = this.#config.strategies.join(', ');
    const config = { ...this.#config, strategies: [...strategies] };
    this.#store(config, this.#mode, nowMs);
    this.#config = config;
    this.#audit(nowMs, 'set-strategies', 'control', 'ok', `${before} → ${strategies.join(', ')}`);
  }

  /** What the patch would change, field by field, or why it would be refused. */
  previewConfig(patch: ControlConfigPatch): { changes: ConfigChange[]; problem: Problem | null } {
    const applied = applyControlPatch(this.#config, patch, this.deps.site());
    return applied.ok
      ? { changes: applied.value.changes, problem: null }
      : { changes: [], problem: applied.error };
  }

  /**
   * Applies and stores the patch, or refuses it whole (nothing changes; the attempt is
   * recorded, so the ledger also shows who tried to loosen a limit).
   */
  setConfig(patch: ControlConfigPatch, nowMs: number): Result<ConfigChange[]> {
    const applied = applyControlPatch(this.#config, patch, this.deps.site());
    if (!applied.ok) {
      const { path, message } = applied.error;
      this.#audit(nowMs, 'set-config', 'control', 'refused', `${path ?? ''}: ${message}`);
      return applied;
    }
    const { config, changes } = applied.value;
    this.#store(config, this.#mode, nowMs);
    this.#config = config;
    if (changes.length > 0)
      this.#audit(nowMs, 'set-config', 'control', 'ok', describeChanges(changes));
    return { ok: true, value: changes };
  }

  /**
   * What an operator setpoint would do now, without doing it: the envelope's decision on the
   * current snapshot (applied value, limits, reasons) and, for a battery, the grid power that
   * would follow if the load stayed as it is.
   */
  preview(setpoint: Setpoint): {
    decision: ControlDecision | null;
    gridNowW: number | null;
    gridExpectedW: number | null;
  } {
    const last = this.#last;
    if (!last) return { decision: null, gridNowW: null, gridExpectedW: null };
    const envelope = applyEnvelope(last.snapshot, this.#config, this.#state.lastWrites, [setpoint]);
    const d = envelope.decisions.find((x) => x.deviceId === setpoint.deviceId) ?? null;
    const decision: ControlDecision | null = d
      ? { ...d, requestedBy: 'operator', narrowedBy: [], refused: [] }
      : null;
    const gridNowW = last.snapshot.site.gridW;
    const device = last.snapshot.byId[setpoint.deviceId];
    let gridExpectedW: number | null = null;
    if (gridNowW !== null && d?.applied?.kind === 'battery' && device?.powerW != null)
      gridExpectedW = gridNowW - (d.applied.powerW - device.powerW);
    return { decision, gridNowW, gridExpectedW };
  }

  /** An operator setpoint in force for `durationS` (recorded in the ledger). */
  command(setpoint: Setpoint, durationS: number, nowMs: number): void {
    this.#operator.set(setpoint.deviceId, { setpoint, untilMs: nowMs + durationS * 1000 });
    this.#audit(
      nowMs,
      'setpoint',
      setpoint.deviceId,
      'ok',
      `${describe(setpoint)} for ${durationS} s`,
    );
  }

  /** Ends an operator setpoint before its time; the strategies take over again. */
  release(deviceId: string, nowMs: number): boolean {
    if (!this.#operator.delete(deviceId)) return false;
    this.#audit(nowMs, 'release', deviceId, 'ok', 'operator setpoint ended');
    return true;
  }

  view(): {
    mode: ControlMode;
    config: ControlConfig;
    cycle: { count: number; lastMs: number; maxMs: number; overruns: number };
    islandPhase: string;
    batteryMode: string;
    shedLoadIds: string[];
    decisions: ControlDecision[];
    writes: WriteOutcome[];
    history: ControlHistoryItem[];
    operator: Array<{ setpoint: Setpoint; untilMs: number }>;
    settingsProblem: string | null;
  } {
    const last = this.#last;
    return {
      mode: this.#mode,
      config: this.#config,
      cycle: {
        count: this.#cycles,
        lastMs: round(this.#lastCycleMs),
        maxMs: round(this.#maxCycleMs),
        overruns: this.#overruns,
      },
      islandPhase: last?.islandPhase ?? 'grid-connected',
      batteryMode: last?.batteryMode ?? 'grid-following',
      shedLoadIds: last?.shedLoadIds ?? [],
      decisions: last?.decisions ?? [],
      writes: [...this.#writes.values()],
      history: [...this.#history].reverse(),
      operator: [...this.#operator.values()],
      settingsProblem: this.#settingsProblem,
    };
  }

  /** Stores before anything changes in memory: if station.db refuses, nothing changed. */
  #store(config: ControlConfig, mode: ControlMode, nowMs: number): void {
    this.#settings.save(config, mode, nowMs);
    this.#settingsProblem = null;
  }

  #send(write: SetpointWrite, atMs: number): void {
    const setpoint = toDeviceSetpoint(write);
    void this.deps
      .apply(write.deviceId, setpoint)
      .then((result) => {
        this.#writes.set(write.deviceId, {
          deviceId: write.deviceId,
          atMs,
          setpoint: write.setpoint,
          ok: result.ok,
          error: result.ok ? null : result.error.message,
        });
      })
      .catch((error: unknown) => this.deps.log(`control: ${write.deviceId}: ${String(error)}`));
  }

  #record(events: readonly IslandEvent[]): void {
    for (const event of events) {
      const target = 'deviceId' in event ? event.deviceId : 'site';
      this.#audit(event.atMs, event.kind, target, 'ok', event.reason, 'station');
    }
  }

  #audit(
    atMs: number,
    action: string,
    target: string,
    result: ControlHistoryItem['result'],
    detail: string,
    actor = currentActor(),
  ): void {
    this.#history.push({ atMs, actor, action, target, result, detail });
    if (this.#history.length > HISTORY_LENGTH) this.#history.shift();
    const appended = this.deps.ledger.append({
      kind: 'control-action',
      timeMs: atMs,
      // The role goes with a user's own action, not with what the station did by itself.
      payload: {
        actor,
        ...(actor === currentActor() ? currentRoleField() : {}),
        action,
        target,
        result,
        detail,
      },
    });
    if (!appended.ok) this.deps.log(`ledger: control action: ${appended.error.message}`);
  }
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

function describe(s: Setpoint): string {
  if (s.kind === 'battery') return `battery ${s.powerW} W`;
  if (s.kind === 'pv-limit') return `PV limit ${s.limitPct} %`;
  return `load ${s.on ? 'on' : 'off'}`;
}
