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
import { dispatch, type Dispatch } from './demo-dispatch';
import { createEnvironmentModel, type DemoEnvironment } from './demo-environment';
import type { DemoPhysicsConfig } from './demo-physics-config';
import { buildDemoState, createDemoCounters, integrateCounters } from './demo-snapshot';
import type { DemoState } from './demo-state';
import { resolveDemoTopology } from './demo-topology';
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
  /** Falls back to self-consumption this long after the setpoint unless it is re-sent. */
  revertAfterMs?: number;
}

export interface DemoPhysics {
  readonly simNowMs: number;
  /** Advances to `simNowMs` (integer, not before the current time) and returns the state there. */
  step(simNowMs: number): DemoState;
  /** The state at the current simulated time, without advancing. */
  state(): DemoState;
  /** External battery power in W (> 0 discharge, < 0 charge), from now on; clamped to limits. */
  setBatterySetpoint(powerW: number, options?: SetpointOptions): void;
  /** Back to self-consumption now. */
  clearBatterySetpoint(): void;
  /** Grid outage from now on: the grid supplies nothing and the battery forms the island. */
  setOutage(outage: boolean): void;
  setWeather(weather: Weather): void;
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
  let setpoint: { powerW: number; revertAtMs: number } | null = null;
  let outage = false;
  let weather: Weather = options.weather ?? 'clear';
  let envCache: { tick: number; weather: Weather; env: DemoEnvironment } | null = null;
  let segment: Segment | null = null;
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

  function currentSegment(): Segment {
    if (segment && nowMs < segment.endMs) return segment;
    if (setpoint && setpoint.revertAtMs <= nowMs) setpoint = null;
    const tick = Math.floor(nowMs / tickMs);
    // A setpoint lapses exactly on its deadline, not at the next tick.
    const endMs = Math.min((tick + 1) * tickMs, setpoint?.revertAtMs ?? Infinity);
    const env = environment(tick);
    const decided = dispatch({
      env,
      topology,
      battery,
      storedWh: storedWh(),
      setpointW: setpoint?.powerW ?? null,
      outage,
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
      integrateCounters(counters, seg.dispatch, seg.env, durationMs);
      nowMs = endMs;
    }
  }

  function state(): DemoState {
    const seg = currentSegment();
    return buildDemoState({
      simNowMs: nowMs,
      topology,
      env: seg.env,
      dispatch: seg.dispatch,
      counters,
      storedWh: storedWh(),
      setpoint,
      outage,
      weather,
    });
  }

  return {
    get simNowMs() {
      return nowMs;
    },
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
      const revertAfterMs = opts.revertAfterMs ?? battery.setpointRevertAfterMs;
      if (!Number.isInteger(revertAfterMs) || revertAfterMs <= 0) {
        throw new RangeError(`revertAfterMs must be a positive integer, got ${revertAfterMs}`);
      }
      setpoint = { powerW, revertAtMs: nowMs + revertAfterMs };
      segment = null;
    },
    clearBatterySetpoint() {
      if (setpoint) segment = null;
      setpoint = null;
    },
    setOutage(next) {
      // Re-deciding only on a real change keeps the physics independent of how often the
      // caller repeats a command.
      if (next !== outage) segment = null;
      outage = next;
    },
    setWeather(next) {
      if (next !== weather) segment = null;
      weather = next;
    },
  };
}

function assertTime(ms: number, name: string): void {
  if (!Number.isSafeInteger(ms))
    throw new RangeError(`${name} must be an integer number of ms, got ${ms}`);
}
