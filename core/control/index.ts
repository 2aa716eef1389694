// Control (issue #7): the cycle, strategies, safety envelope and island state machine.
export { controlCycle, initialControlState } from './control-cycle';
export type {
  ControlCycleResult,
  ControlDecision,
  ControlInputs,
  ControlState,
} from './control-cycle';
export {
  DEFAULT_ISLAND_CONFIG,
  STRATEGY_NAMES,
  defaultControlConfig,
  validateControlConfig,
  type ControlConfig,
  type IslandConfig,
  type StrategyName,
  type TouWindow,
} from './control-config';
export {
  buildControlSnapshot,
  type ControlDevice,
  type ControlSiteView,
  type ControlSnapshot,
} from './control-snapshot';
export type * from './setpoint-types';
export type * from './envelope-types';
export type * from './island-types';
export { initialIslandState } from './island-types';
export { applyEnvelope, isLive, type EnvelopeOptions } from './safety-envelope';
export { batteryLimits, type BatteryLimits, type BatteryLimitReason } from './battery-limits';
export { splitBatteryPowerW } from './battery-split';
export { narrow } from './narrowing';
export { composeRequests, mergeRequests, type SourcedSetpoint } from './compose-strategies';
export { stepIsland } from './island-machine';
export { judgeGrid, type GridLossReason, type GridVerdict } from './grid-detection';
export { STRATEGIES, enabledStrategies } from './strategies/strategy-registry';
export { positionFromTrades } from './strategies/market-following';
export type {
  MarketPosition,
  NamedStrategy,
  Strategy,
  StrategyInputs,
} from './strategies/strategy-types';
