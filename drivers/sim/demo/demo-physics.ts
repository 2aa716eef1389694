// The embedded demo microgrid: households, rooftop PV, a community battery and the grid
// connection, as pure code driven by the caller's simulated clock (no timers, no I/O).
//
// Time is cut into ticks on a fixed grid of simulated time (tickMs, default 1 s). The
// environment (sun, clouds, demand) is evaluated at each tick's start and the battery
// decides its power when a tick (or a segment of it, after a command) begins; both hold
// until the tick ends. Because the grid is fixed and decisions persist across step() calls,
// one step of six hours and 21 600 steps of one second give the same result: the caller's
// step size cannot change the physics, only how often it looks.
import type { Site } from '../../../core/site/site-types';
import { storedWhFromCounters } from './battery-model';
import {
  addOutageWindow,
  createDemoControls,
  nextDeadlineMs,
  pvLimitsW,
  settleControls,
  type BatteryWindow,
} from './demo-controls';
import { dispatch, type Dispatch } from './demo-dispatch';
import { createEnvironmentModel, type DemoEnvironment } from './demo-environment';
import type { DemoPhysicsConfig } from './demo-physics-config';
import {
  buildDemoState,
  createDemoCounters,
  integrateCounters,
  reportedSocPct,
} from './demo-snapshot';
import type { DemoState } from './demo-state';
import { withSwitchedLoads } from './demo-switchable-loads';
import { resolveDemoTopology, type DemoTopology } from './demo-topology';
import type { Weather } from './weather';

export interface DemoPhysicsOptions {
  site: Site;
  /** Validated with parseDemoPhysicsConfig. */
  physics: DemoPhysicsConfig;
  /** Any integer; the same seed replays the same loads, clouds and grid noise. */
  seed: number;
  /** Simulated UTC ms at which the model starts (integer). */
  startSimMs: number;
  weather?: Weather;
  /** Physics tick in ms (100..60 000, default 1000). */
  tickMs?: number;
}

export interface SetpointOptions {
  /**
   * Falls back this long after the command unless it is re-sent; null = never (SunSpec
   * RvrtTms 0). Default for the battery: the physics file's setpointRevertAfterMs; for a
   * PV limit: null.
   */
  revertAfterMs?: number | null;
}

/** One stretch of simulated time with constant powers, as the physics integrated it. */
export interface PhysicsSegment {
  startMs: number;
  endMs: number;
  tickMs: number;
  env: DemoEnvironment;
  dispatch: Dispatch;
  outage: boolean;
  socPctStart: number;
  socPctEnd: number;
  topology: DemoTopology;
}

export interface DemoPhysics {
  readonly simNowMs: number;
  readonly tickMs: number;
  /** Advances to `simNowMs` (integer, not before the current time) and returns the state there. */
  step(simNowMs: number): DemoState;
  /** The state at the current simulated time, without advancing. */
  state(): DemoState;
  /** External battery power in W (> 0 discharge, < 0 charge), from now on; clamped to limits. */
  setBatterySetpoint(powerW: number, options?: SetpointOptions): void;
  /**
   * From now on the battery runs its own self-consumption but stays inside the window
   * (> 0 discharge); null = back to plain self-consumption. Model 124 StorCtl_Mod maps here.
   */
  setBatteryWindow(window: BatteryWindow | null, options?: SetpointOptions): void;
  /** Back to self-consumption now. */
  clearBatterySetpoint(): void;
  /** WChaMax: charge power ceiling in W (null = nameplate). Stays until changed. */
  setBatteryChargeCap(capW: number | null): void;
  /** MinRsvPct: SoC kept back for outages while grid-connected (null = BMS minimum). */
  setBatteryReserve(reservePct: number | null): void;
  /** Model 123 WMaxLimPct: the inverter's output cap in % of its rating; null lifts it. */
  setPvLimit(deviceId: string, limitPct: number | null, options?: SetpointOptions): void;
  /**
   * Switches a switchable load on or off from now on. Off with revertAfterMs: it switches
   * itself back on then, unless switched again (default: stays off).
   */
  setLoadSwitch(deviceId: string, on: boolean, options?: SetpointOptions): void;
  /** Grid outage from now on: the grid supplies nothing and the battery forms the island. */
  setOutage(outage: boolean): void;
  /** An outage from `startMs` to `endMs` in simulated time (endMs null: until setOutage(false)). */
  scheduleOutage(startMs: number, endMs: number | null): void;
  setWeather(weather: Weather): void;
  /** Called for every integrated segment, in time order; returns a disposer. */
  onSegment(listener: (segment: PhysicsSegment) => void): () => void;
}

interface Segment {
  endMs: number;
  env: DemoEnvironment;
  dispatch: Dispatch;
}

export function createDemoPhysics(options: DemoPhysicsOptions): DemoPhysics {
  const topology = resolveDemoTopology(options.site, options.physics);
  const battery = topology.battery.physics;
  const tickMs = options.tickMs ?? 1000;
  if (!Number.isInteger(tickMs) || tickMs < 100 || tickMs > 60_000) {
    throw new RangeError(`tickMs must be an integer from 100 to 60000, got ${tickMs}`);
  }
  assertTime(options.startSimMs, 'startSimMs');
  const seed = options.seed >>> 0;
  const environmentAt = createEnvironmentModel(topology, seed);

  let nowMs = options.startSimMs;
  const initialWh = (battery.capacityWh * battery.initialSocPct) / 100;
  const controls = createDemoControls(topology);
  let weather: Weather = options.weather ?? 'clear';
  let envCache: { tick: number; weather: Weather; env: DemoEnvironment } | null = null;
  let segment: Segment | null = null;
  const listeners = new Set<(segment: PhysicsSegment) => void>();
  const counters = createDemoCounters(topology);
  const storedWh = (): number =>
    storedWhFromCounters(
      battery,
      initialWh,
      counters.batteryCharged.wattMs,
      counters.batteryDischarged.wattMs,
    );

  function environment(tick: number): DemoEnvironment {
    if (envCache?.tick !== tick || envCache.weather !== weather) {
      envCache = { tick, weather, env: environmentAt(tick * tickMs, weather) };
    }
    return envCache.env;
  }

  /** The tick's environment with the switched-on loads added to their owners' demand. */
  function switchedEnvironment(tick: number): DemoEnvironment {
    const env = environment(tick);
    if (topology.switchableLoads.length === 0) return env;
    const loads = withSwitchedLoads(
      topology.switchableLoads,
      controls.loadOn,
      env.householdLoadW,
      env.communityLoadW,
    );
    return { ...env, ...loads };
  }

  function currentSegment(): Segment {
    if (segment && nowMs < segment.endMs) return segment;
    settleControls(controls, nowMs);
    const tick = Math.floor(nowMs / tickMs);
    // A control lapses (or a scheduled outage begins) exactly on its deadline, not at the next tick.
    const endMs = Math.min((tick + 1) * tickMs, nextDeadlineMs(controls));
    const env = switchedEnvironment(tick);
    const decided = dispatch({
      env,
      topology,
      battery,
      storedWh: storedWh(),
      window: controls.battery?.value ?? null,
      pvLimitW: pvLimitsW(controls, topology),
      chargeCapW: controls.chargeCapW,
      reservePct: controls.reservePct,
      outage: controls.outage,
      durationMs: endMs - nowMs,
    });
    segment = { endMs, env, dispatch: decided };
    return segment;
  }

  function advanceTo(targetMs: number): void {
    while (nowMs < targetMs) {
      const seg = currentSegment();
      const endMs = Math.min(seg.endMs, targetMs);
      const durationMs = endMs - nowMs;
      const socPctStart = listeners.size > 0 ? reportedSocPct(battery, storedWh()) : 0;
      integrateCounters(counters, seg.dispatch, seg.env, durationMs, loadPowersW());
      if (listeners.size > 0) {
        const record: PhysicsSegment = {
          startMs: nowMs,
          endMs,
          tickMs,
          env: seg.env,
          dispatch: seg.dispatch,
          outage: controls.outage,
          socPctStart,
          socPctEnd: reportedSocPct(battery, storedWh()),
          topology,
        };
        listeners.forEach((listener) => listener(record));
      }
      nowMs = endMs;
    }
  }

  const loadPowersW = (): number[] =>
    topology.switchableLoads.map((l, i) => (controls.loadOn[i] ? l.powerW : 0));

  function state(): DemoState {
    const seg = currentSegment();
    return buildDemoState({
      simNowMs: nowMs,
      topology,
      env: seg.env,
      dispatch: seg.dispatch,
      counters,
      storedWh: storedWh(),
      controls,
      weather,
    });
  }

  /** Every command re-decides from now: the new inputs hold from this instant. */
  const changed = (): void => void (segment = null);
  const revertAt = (opts: SetpointOptions, fallbackMs: number | null): number | null => {
    const afterMs = opts.revertAfterMs === undefined ? fallbackMs : opts.revertAfterMs;
    if (afterMs === null) return null;
    if (!Number.isInteger(afterMs) || afterMs <= 0)
      throw new RangeError(`revertAfterMs must be a positive integer or null, got ${afterMs}`);
    return nowMs + afterMs;
  };
  function setBatteryWindow(window: BatteryWindow | null, opts: SetpointOptions = {}): void {
    if (window && !(window.minW <= window.maxW && Number.isFinite(window.minW + window.maxW)))
      throw new RangeError(`battery window must be finite with minW ≤ maxW`);
    const revertAtMs = revertAt(opts, battery.setpointRevertAfterMs);
    controls.battery = window ? { value: { ...window }, revertAtMs } : null;
    changed();
  }
  const indexOf = (ids: readonly { id: string }[], id: string, what: string): number => {
    const index = ids.findIndex((d) => d.id === id);
    if (index < 0) throw new RangeError(`the demo has no ${what} "${id}"`);
    return index;
  };

  return {
    get simNowMs() {
      return nowMs;
    },
    tickMs,
    step(targetMs) {
      assertTime(targetMs, 'simNowMs');
      if (targetMs < nowMs)
        throw new RangeError(`simulated time cannot go back: ${targetMs} < ${nowMs}`);
      advanceTo(targetMs);
      return state();
    },
    state,
    setBatterySetpoint(powerW, opts = {}) {
      if (!Number.isFinite(powerW))
        throw new RangeError(`setpoint must be a finite number of W, got ${powerW}`);
      setBatteryWindow({ minW: powerW, maxW: powerW }, opts);
    },
    setBatteryWindow,
    clearBatterySetpoint() {
      if (controls.battery) changed();
      controls.battery = null;
    },
    setBatteryChargeCap(capW) {
      if (capW !== null && !(Number.isFinite(capW) && capW >= 0))
        throw new RangeError(`charge cap must be a finite W ≥ 0 or null, got ${capW}`);
      controls.chargeCapW = capW;
      changed();
    },
    setBatteryReserve(reservePct) {
      if (reservePct !== null && !(reservePct >= 0 && reservePct <= 100))
        throw new RangeError(`reserve must be 0..100 % or null, got ${reservePct}`);
      controls.reservePct = reservePct;
      changed();
    },
    setPvLimit(deviceId, limitPct, opts = {}) {
      const index = indexOf(topology.pv, deviceId, 'PV inverter');
      if (limitPct !== null && !(limitPct >= 0 && limitPct <= 100))
        throw new RangeError(`PV limit must be 0..100 % or null, got ${limitPct}`);
      controls.pvLimitPct[index] =
        limitPct === null ? null : { value: limitPct, revertAtMs: revertAt(opts, null) };
      changed();
    },
    setLoadSwitch(deviceId, on, opts = {}) {
      const index = indexOf(topology.switchableLoads, deviceId, 'switchable load');
      const revertAtMs = on ? null : revertAt(opts, null);
      if (controls.loadOn[index] !== on || controls.loadRevertAtMs[index] !== revertAtMs) changed();
      controls.loadOn[index] = on;
      controls.loadRevertAtMs[index] = revertAtMs;
    },
    setOutage(next) {
      // Re-deciding only on a real change keeps the physics independent of how often the
      // caller repeats a command.
      if (next !== controls.outage) changed();
      controls.outage = next;
    },
    scheduleOutage(startMs, endMs) {
      assertTime(startMs, 'startMs');
      if (startMs < nowMs) throw new RangeError(`outage start ${startMs} is in the past`);
      if (endMs !== null && !(Number.isSafeInteger(endMs) && endMs > startMs))
        throw new RangeError(`outage end must be an integer after its start, got ${endMs}`);
      addOutageWindow(controls, startMs, endMs);
      changed();
    },
    setWeather(next) {
      if (next !== weather) changed();
      weather = next;
    },
    onSegment(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
  };
}

function assertTime(ms: number, name: string): void {
  if (!Number.isSafeInteger(ms))
    throw new RangeError(`${name} must be an integer number of ms, got ${ms}`);
}
