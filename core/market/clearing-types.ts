// What a clearing returns: enough for the CLI JSON, the books, and the Market page
// ("why this price", zones, utility import/export). Prices in micro-currency per kWh,
// energy in Wh, money in integer minor units.
import type { RejectedOrder } from './order-types';
import type { PassName } from './trade-log';

export const MECHANISMS = ['pay-as-clear', 'pay-as-bid'] as const;
export type Mechanism = (typeof MECHANISMS)[number];

export interface Trade {
  buyOrderId: string;
  sellOrderId: string;
  buyerId: string;
  sellerId: string;
  energyWh: number;
  /** What the seller receives per kWh. */
  priceMicroPerKWh: number;
  /** What the buyer pays per kWh: price + grid fee (+ congestion rent across zones). */
  buyerPriceMicroPerKWh: number;
  pass: PassName;
  buyerPaysMinor: number;
  sellerReceivesMinor: number;
  /** buyerPaysMinor = sellerReceivesMinor + gridFeeMinor + congestionMinor, exactly. */
  gridFeeMinor: number;
  congestionMinor: number;
}

/** Energy of an order left unmatched: the utility takes or supplies it at its tariff. */
export interface Unmatched {
  orderId: string;
  memberId: string;
  side: 'buy' | 'sell';
  energyWh: number;
  /** Retail for buys (import), feed-in for sells (export). */
  utilityPriceMicroPerKWh: number;
  /** What the buyer pays the utility or the seller receives from it. */
  amountMinor: number;
}

export interface OrderRef {
  orderId: string;
  priceMicroPerKWh: number;
  remainingWh: number;
}

export interface Zone {
  /** Zone index (0 when the market was not split). */
  id: number;
  feederIds: string[];
  /** Pay-as-clear price of the zone; null under pay-as-bid or without trades in the zone. */
  clearingPriceMicroPerKWh: number | null;
  /** "Why this price": the last matched pair inside the zone sets it. */
  lastPair: {
    buyOrderId: string;
    sellOrderId: string;
    buyPriceMicroPerKWh: number;
    sellPriceMicroPerKWh: number;
  } | null;
  /** The marginal orders that did not (fully) trade, best first: the next pair was too far apart. */
  nextBuy: OrderRef | null;
  nextSell: OrderRef | null;
}

export interface BindingLink {
  /** The feeder whose link to its parent is binding. */
  feederId: string;
  capacityWh: number;
  /** Local-trade flow on the link after clearing: > 0 up to the parent, < 0 down. */
  flowWh: number;
}

export interface ClearingResult {
  mechanism: Mechanism;
  gridFeeMicroPerKWh: number;
  /** Uniform price (pay-as-clear, one zone) or null (no trade, pay-as-bid, split market). */
  clearingPriceMicroPerKWh: number | null;
  trades: Trade[];
  unmatched: Unmatched[];
  rejected: RejectedOrder[];
  zones: Zone[];
  bindingLinks: BindingLink[];
  totals: ClearingTotals;
  /** Present when the interval cleared under island rules (island-clearing.ts). */
  island?: IslandClearing;
}

/** One member's side of an island clearing: what it asked for and what it was given. */
export interface IslandRation {
  memberId: string;
  side: 'buy' | 'sell';
  /** The member's orders on its side, summed. */
  requestedWh: number;
  /** Bought (buyers) or sold (sellers) in the interval's trades. */
  rationWh: number;
}

/** How an island interval cleared: no utility, the energy on offer shared among the buyers. */
export interface IslandClearing {
  rule: 'fair-share' | 'scarcity-price';
  /** The configured island price (sellers receive it without scarcity). */
  basePriceMicroPerKWh: number;
  capMicroPerKWh: number;
  /** The interval's price: what sellers receive and deviations settle at; buyers add the grid fee. */
  priceMicroPerKWh: number;
  /** All sell energy. */
  supplyWh: number;
  /** All buy energy. */
  demandWh: number;
  /** min(supply, demand): what was shared out. */
  tradedWh: number;
  /** Buyers, then sellers, each in code-unit order of member id. */
  rations: IslandRation[];
}

export interface ClearingTotals {
  offeredWh: number;
  demandedWh: number;
  tradedWh: number;
  /** Unmatched buys: imported from the utility at retail. */
  importWh: number;
  /** Unmatched sells: exported to the utility at feed-in. */
  exportWh: number;
  buyersPayMinor: number;
  sellersReceiveMinor: number;
  gridFeesMinor: number;
  congestionMinor: number;
  importCostMinor: number;
  exportRevenueMinor: number;
}
