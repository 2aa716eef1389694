// What a scenario is: a stretch of simulated time on the demo microgrid (start, length,
// weather) and what happens to it (grid outages, devices going silent), plus the few site
// or physics changes it needs to be interesting (a tighter import limit, a full battery).
import type { StrategyName } from '../../core/control';
import type { Weather } from '../../drivers/sim/demo/weather';

/** A device stops answering (no reply on the wire) from atMs until healMs (null: to the end). */
export interface DeviceFailure {
  deviceId: string;
  /** Simulated ms after the scenario's start. */
  atMs: number;
  healMs: number | null;
}

export interface ScenarioOutage {
  /** Simulated ms after the scenario's start. */
  startMs: number;
  endMs: number;
}

export interface ScenarioDefinition {
  name: string;
  /** One line for `microgrid scenario list`. */
  description: string;
  /** Simulated UTC ms at which the run starts. */
  startSimMs: number;
  durationMs: number;
  weather: Weather;
  outages: readonly ScenarioOutage[];
  failures: readonly DeviceFailure[];
  /** Overrides of the demo site's grid connection limits (W). */
  grid?: { importLimitW?: number; exportLimitW?: number };
  /** Strategies the site runs (default: defaultControlConfig's). */
  strategies?: StrategyName[];
  /** The community battery's SoC at the start, % (default: the physics file's). */
  initialSocPct?: number;
}
