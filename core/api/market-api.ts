// The market part of the station contract: what the Market page shows (the open interval
// with its indicative clearing, past intervals with trades and settlement) and what an
// operator may do (place or withdraw an order for a member, set a member's preferences).
// Prices are integer micro-currency per kWh, energy integer Wh, money integer minor units.
import type { ClearingResult, IslandClearing, Mechanism } from '../market/clearing-types';
import type { IslandTerms, MarketRuleName } from '../market/island-rules';
import type { CurveStep } from '../market/curves';
import type { IntervalState } from '../market/interval-schedule';
import type { MarketTariffs, OrderInput } from '../market/order-types';

export type {
  BindingLink,
  ClearingResult,
  ClearingTotals,
  IslandClearing,
  IslandRation,
  Mechanism,
  Trade,
  Unmatched,
  Zone,
} from '../market/clearing-types';
export type { CurveStep } from '../market/curves';
export type { IntervalState } from '../market/interval-schedule';
export type { IslandTerms, MarketRuleName } from '../market/island-rules';
export type { MarketTariffs, OrderInput, RejectedOrder } from '../market/order-types';

export interface MarketOrderView {
  input: OrderInput;
  source: 'agent' | 'manual';
  createdMs: number;
}

export interface MemberPosition {
  memberId: string;
  /** Bought − sold in the interval's trades. */
  tradedNetWh: number;
  /** What the member pays (< 0) or receives (> 0) for its local trades. */
  tradeAmountMinor: number;
  /** Metered import − export over delivery; null until settled. */
  meteredNetWh: number | null;
  /** Total change of the member's account at settlement; null until settled. */
  settledAmountMinor: number | null;
  /** Island intervals only: the member's orders on its side, summed, and what it was given. */
  requestedWh?: number;
  rationWh?: number;
}

export interface MarketIntervalView {
  id: string;
  startMs: number;
  endMs: number;
  gateClosureMs: number;
  state: IntervalState;
  mechanism: Mechanism;
  /** `normal`, or the island rule it cleared (or, open, would clear) under. */
  rules: MarketRuleName;
  /** Island rules: price, supply, demand and each member's ration; null otherwise. */
  island: IslandClearing | null;
  /** For the open interval: the clearing if the gate closed now (indicative). */
  indicative: boolean;
  orders: MarketOrderView[];
  result: ClearingResult | null;
  curves: { demand: CurveStep[]; supply: CurveStep[]; gridFeeMicroPerKWh: number } | null;
  positions: MemberPosition[];
  /** Why the settlement waits or failed (e.g. missing meter readings); null otherwise. */
  settlementNote: string | null;
  settlement: unknown;
}

export interface MarketIntervalSummary {
  id: string;
  startMs: number;
  endMs: number;
  state: IntervalState;
  rules: MarketRuleName;
  clearingPriceMicroPerKWh: number | null;
  tradedWh: number;
  importWh: number;
  exportWh: number;
}

export interface MarketState {
  currency: string;
  minorUnitDigits: number;
  tariffs: MarketTariffs;
  mechanism: Mechanism;
  /** The rules in force now: `normal` while grid-connected, else the site's island rule. */
  rules: MarketRuleName;
  /** The site's island terms (with defaults), whether in force or not. */
  island: IslandTerms;
  intervalMinutes: number;
  gateClosureMinutes: number;
  open: MarketIntervalView;
  /** Cleared and settled intervals, newest first. */
  recent: MarketIntervalSummary[];
}

/** An operator's order for a member in the open interval. */
export interface ManualOrderRequest {
  memberId: string;
  side: 'buy' | 'sell';
  energyWh: number;
  /** Currency per kWh, exact decimal text such as "0.185". */
  price: string;
  energyType?: string;
  preferredPartners?: string[];
}

/** What the operator sets for a member's agent; prices as decimal text per kWh, null = default. */
export interface MemberPreferencesInput {
  memberId: string;
  autoTrade: boolean;
  minSellPrice: string | null;
  maxBuyPrice: string | null;
  preferredPartners: string[];
  greenOnly: boolean;
}

export interface MemberPreferencesView {
  memberId: string;
  autoTrade: boolean;
  minSellPriceMicroPerKWh: number | null;
  maxBuyPriceMicroPerKWh: number | null;
  preferredPartners: string[];
  greenOnly: boolean;
  /** The agent's limits when the member sets none (see member-agent.ts). */
  defaultSellPriceMicroPerKWh: number;
  defaultBuyPriceMicroPerKWh: number;
}
