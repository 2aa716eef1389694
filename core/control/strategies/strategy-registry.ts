// The strategies by name, and the enabled ones in the configured order.
import type { ControlConfig, StrategyName } from '../control-config';
import { exportLimit } from './export-limit';
import { marketFollowing } from './market-following';
import { outageReserve } from './outage-reserve';
import { peakShaving } from './peak-shaving';
import { selfConsumption } from './self-consumption';
import type { NamedStrategy, Strategy } from './strategy-types';
import { touCharging } from './tou-charging';

export const STRATEGIES: Readonly<Record<StrategyName, Strategy>> = {
  'market-following': marketFollowing,
  'tou-charging': touCharging,
  'self-consumption': selfConsumption,
  'peak-shaving': peakShaving,
  'export-limit': exportLimit,
  'outage-reserve': outageReserve,
};

export function enabledStrategies(config: ControlConfig): NamedStrategy[] {
  return config.strategies.map((name) => ({ name, run: STRATEGIES[name] }));
}
