// A strategy is a pure function of the frozen snapshot, the configuration, the requests made
// so far in this cycle and the cycle's inputs. It returns requests; it never writes. It sees
// `previous` so it can leave alone what an earlier party decided (the composer enforces the
// narrowing rule anyway). A strategy with nothing to ask returns no request for a device:
// asking 0 W would lock that battery at 0 W for every later strategy.
import type { ControlConfig } from '../control-config';
import type { ControlSnapshot } from '../control-snapshot';
import type { Setpoint } from '../setpoint-types';

/** The battery's cleared net position for one market interval. */
export interface MarketPosition {
  startMs: number;
  endMs: number;
  /** Energy the battery sold (> 0, discharge) or bought (< 0, charge) in the interval, Wh. */
  netWh: number;
}

export interface StrategyInputs {
  /** Minutes after local midnight at the site, 0..1439 (TOU windows are local). */
  localMinuteOfDay: number;
  /** The battery's cleared position for the current interval, if the market has one. */
  marketPosition: MarketPosition | null;
}

export type Strategy = (
  snapshot: ControlSnapshot,
  config: ControlConfig,
  previous: ReadonlyMap<string, Setpoint>,
  inputs: StrategyInputs,
) => Setpoint[];

export interface NamedStrategy {
  name: string;
  run: Strategy;
}
