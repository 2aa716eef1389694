// Small builders for market tests: tariffs and orders in currency per kWh, as members type them.
import { clearMarket, type MarketInput } from '../../../core/market/clear-market';
import type { ClearingResult, Mechanism } from '../../../core/market/clearing-types';
import type { MarketTariffs, OrderInput } from '../../../core/market/order-types';
import { parseTariffs, type TariffInput } from '../../../core/market/tariffs';

export function tariffs(input: TariffInput): MarketTariffs {
  const parsed = parseTariffs(input);
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

/** 0.08 feed-in, 0.30 retail, 0.02 grid fee (currency per kWh), cents. */
export const TARIFFS = tariffs({ feedIn: 0.08, retail: 0.3, gridFee: 0.02 });

export const buy = (
  id: string,
  member: string,
  energyWh: number,
  price: number | string,
  extra: Partial<OrderInput> = {},
): OrderInput => ({
  id,
  member,
  side: 'buy',
  energyWh,
  price,
  ...extra,
});

export const sell = (
  id: string,
  member: string,
  energyWh: number,
  price: number | string,
  extra: Partial<OrderInput> = {},
): OrderInput => ({
  id,
  member,
  side: 'sell',
  energyWh,
  price,
  ...extra,
});

export function clear(
  orders: OrderInput[],
  mechanism: Mechanism = 'pay-as-clear',
  more: Partial<MarketInput> = {},
): ClearingResult {
  const result = clearMarket({ mechanism, tariffs: TARIFFS, orders, ...more });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

/** Trades as compact tuples: [buy, sell, Wh, seller price µ/kWh]. */
export const tradeRows = (r: ClearingResult) =>
  r.trades.map((t) => [t.buyOrderId, t.sellOrderId, t.energyWh, t.priceMicroPerKWh]);
