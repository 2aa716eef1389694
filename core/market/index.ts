// The local energy market (issue #5): orders, clearing, exact prices and money.
export * from './clearing-types';
export { clearMarket, clearOrders, type MarketInput } from './clear-market';
export { supplyDemandCurves, type CurveStep } from './curves';
export {
  explainForecast,
  FORECAST_DEFAULTS,
  forecastIntervalWh,
  forecastSolarShare,
  type DeliveryInterval,
  type ForecastDetail,
  type ForecastOptions,
  type NetPowerSample,
  type PvPowerSample,
  type SolarForecast,
} from './forecast';
export {
  agentDecisions,
  agentOrders,
  DEFAULT_MIN_ORDER_WH,
  defaultLimitPrices,
  memberPreferencesSchema,
  validatePreferences,
  type AgentDecision,
  type AgentInput,
  type AgentMember,
  type AgentSkipReason,
  type DefaultLimits,
  type MemberPreferences,
  type PreferenceProblem,
} from './member-agent';
export { amountMinor } from './money';
export { buildNetwork, type FeederLink, type FeederMember, type MarketNetwork } from './network';
export * from './order-types';
export {
  formatScaled,
  MAX_PRICE_MICRO_PER_KWH,
  midpointHalfEven,
  parseScaledDecimal,
  priceToCurrencyNumber,
} from './price';
export {
  COMMUNITY_FUND,
  NETWORK_OPERATOR,
  settleInterval,
  SYSTEM_PARTIES,
  UTILITY,
  type ImbalancePrices,
  type IntervalSettlement,
  type MemberSettlement,
  type MeterReading,
  type PartyTotal,
  type SettlementInput,
  type SettlementLine,
  type SettlementLineKind,
  type SettlementProblem,
} from './settlement';
export { parseTariffs, tariffsFromSite, type TariffInput } from './tariffs';
export { MAX_ORDER_ENERGY_WH, validateOrders, type ValidatedBook } from './validate-orders';
