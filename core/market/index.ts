// The local energy market (issue #5): orders, clearing, exact prices and money.
export * from './clearing-types';
export { clearMarket, clearOrders, type MarketInput } from './clear-market';
export { supplyDemandCurves, type CurveStep } from './curves';
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
export { parseTariffs, tariffsFromSite, type TariffInput } from './tariffs';
export { MAX_ORDER_ENERGY_WH, validateOrders, type ValidatedBook } from './validate-orders';
