// The Market page's data as plain values: prices from micro-currency per kWh to money per
// kWh, the "why this price" explanation as a message key with its numbers, chart steps and
// member positions with names. Pure, so each rule is unit-tested.
import type {
  ClearingResult,
  CurveStep,
  MarketIntervalView,
  MarketState,
  Member,
  MemberPosition,
} from '../api/contract';

export const MICRO_PER_UNIT = 1_000_000;

/** Money per kWh as a number of currency units (0.185), for Intl formatting. */
export const majorPerKWh = (micro: number): number => micro / MICRO_PER_UNIT;

/** Minor units (cents) as currency units. */
export const majorOf = (minor: number, minorUnitDigits: number): number =>
  minor / 10 ** minorUnitDigits;

export type Explanation =
  | { key: 'market.why.noOrders' }
  | { key: 'market.why.oneSided'; side: 'buy' | 'sell' }
  | { key: 'market.why.noTrade'; bid: number; ask: number; fee: number }
  | {
      key: 'market.why.clear';
      bid: number;
      ask: number;
      fee: number;
      price: number;
      buyOrderId: string;
      sellOrderId: string;
    }
  | { key: 'market.why.payAsBid'; fee: number; trades: number }
  | { key: 'market.why.split'; zones: number; feeders: string[] }
  | { key: 'market.why.island'; supplyWh: number; demandWh: number; price: number };

/** Why the interval cleared as it did, in the terms a member can check by hand. */
export function explain(view: MarketIntervalView): Explanation {
  const result = view.result;
  const curves = view.curves;
  if (!result || !curves || (curves.demand.length === 0 && curves.supply.length === 0))
    return { key: 'market.why.noOrders' };
  // In an island no bid sets the price: it is the site's, and the supply is shared out.
  if (result.island)
    return {
      key: 'market.why.island',
      supplyWh: result.island.supplyWh,
      demandWh: result.island.demandWh,
      price: result.island.priceMicroPerKWh,
    };
  if (curves.demand.length === 0) return { key: 'market.why.oneSided', side: 'sell' };
  if (curves.supply.length === 0) return { key: 'market.why.oneSided', side: 'buy' };
  const fee = result.gridFeeMicroPerKWh;
  if (result.bindingLinks.length > 0)
    return {
      key: 'market.why.split',
      zones: result.zones.length,
      feeders: result.bindingLinks.map((l) => l.feederId),
    };
  if (result.trades.length === 0)
    return {
      key: 'market.why.noTrade',
      bid: curves.demand[0]!.priceMicroPerKWh,
      ask: curves.supply[0]!.priceMicroPerKWh,
      fee,
    };
  if (result.mechanism === 'pay-as-bid')
    return { key: 'market.why.payAsBid', fee, trades: result.trades.length };
  const pair = result.zones[0]?.lastPair;
  if (!pair || result.clearingPriceMicroPerKWh === null)
    return { key: 'market.why.payAsBid', fee, trades: result.trades.length };
  return {
    key: 'market.why.clear',
    bid: pair.buyPriceMicroPerKWh,
    ask: pair.sellPriceMicroPerKWh,
    fee,
    price: result.clearingPriceMicroPerKWh,
    buyOrderId: pair.buyOrderId,
    sellOrderId: pair.sellOrderId,
  };
}

export interface StepPoint {
  x: number;
  y: number;
}

/** A step curve in kWh and money per kWh: each order a flat segment, joined vertically. */
export function stepPoints(steps: readonly CurveStep[], liftMicro = 0): StepPoint[] {
  return steps.flatMap((s) => [
    { x: s.fromWh / 1000, y: majorPerKWh(s.priceMicroPerKWh + liftMicro) },
    { x: s.toWh / 1000, y: majorPerKWh(s.priceMicroPerKWh + liftMicro) },
  ]);
}

export interface PositionRow extends MemberPosition {
  name: string;
}

export function positionRows(
  positions: readonly MemberPosition[],
  members: readonly Member[],
): PositionRow[] {
  const names = new Map(members.map((m) => [m.id, m.name]));
  return positions.map((p) => ({ ...p, name: names.get(p.memberId) ?? p.memberId }));
}

/** Total energy traded and money moved, for the interval's headline. */
export function headline(result: ClearingResult | null): {
  tradedWh: number;
  importWh: number;
  exportWh: number;
  trades: number;
} {
  return {
    tradedWh: result?.totals.tradedWh ?? 0,
    importWh: result?.totals.importWh ?? 0,
    exportWh: result?.totals.exportWh ?? 0,
    trades: result?.trades.length ?? 0,
  };
}

/**
 * The island banner: which message and the price it names. The open interval's indicative
 * island clearing has the price now (a scarcity price depends on its orders); before any
 * order, the site's base price.
 */
export function islandBanner(market: MarketState): {
  key: 'market.island.fair-share' | 'market.island.scarcity-price';
  price: number;
  base: number;
  cap: number;
  fee: number;
} | null {
  if (market.rules === 'normal') return null;
  return {
    key:
      market.rules === 'fair-share' ? 'market.island.fair-share' : 'market.island.scarcity-price',
    price: market.open.island?.priceMicroPerKWh ?? market.island.basePriceMicroPerKWh,
    base: market.island.basePriceMicroPerKWh,
    cap: market.island.capMicroPerKWh,
    fee: market.tariffs.gridFeeMicroPerKWh,
  };
}

/** Share of what was asked that was given, whole per cent (rounded down, so 99.6 % is not 100 %). */
export const rationPct = (rationWh: number, requestedWh: number): number =>
  requestedWh === 0 ? 100 : Math.floor((100 * rationWh) / requestedWh);

/** Minutes and seconds until `targetMs`, never negative: "4:05". */
export function countdown(targetMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.ceil((targetMs - nowMs) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
