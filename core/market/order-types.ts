// Orders of one market interval. Sides, units and reason codes are stated once here.
import type { PriceProblem } from './price';

export const ORDER_SIDES = ['buy', 'sell'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

/** A buy that takes energy of any origin; also the default of a buy without a requirement. */
export const ANY_ENERGY = 'any';
/** Energy type of a sell that does not say what it offers: it matches only `any` buys. */
export const UNSPECIFIED_ENERGY = 'unspecified';

/** An order as submitted (from the UI, an agent or a JSON file), before validation. */
export interface OrderInput {
  id: string;
  member: string;
  /** Anything but `buy` or `sell` is rejected with `unknown_side`. */
  side: string;
  /** Whole Wh for the interval, > 0. */
  energyWh: number;
  /** Limit price in currency per kWh, as a JSON number or an exact decimal string. */
  price: number | string;
  /**
   * Members this order would rather trade with (tried first, see match-passes.ts). On a buy:
   * preferred sellers; on a sell: preferred buyers. A preference, never a constraint.
   */
  preferredPartners?: readonly string[];
  /**
   * On a buy: the energy type it accepts, a hard constraint (`solar` trades only with
   * sells that offer `solar`; `any`, the default, with every sell). On a sell: the type it
   * offers (default `unspecified`).
   */
  energyType?: string;
}

/** A validated order. Prices are integer micro-currency per kWh (see price.ts). */
export interface Order {
  id: string;
  memberId: string;
  side: OrderSide;
  energyWh: number;
  /** Limit: the most a buyer pays including the grid fee, the least a seller accepts. */
  priceMicroPerKWh: number;
  preferredPartners: readonly string[];
  energyType: string;
}

export type RejectReason =
  | 'duplicate_id'
  | 'unknown_side'
  | 'unknown_member'
  | 'energy_not_integer'
  | 'energy_not_positive'
  | 'energy_too_large'
  | PriceProblem
  | 'price_below_feed_in'
  | 'price_above_retail'
  | 'opposite_side';

/** Every rejected order is reported with its reason; it takes no part in the clearing. */
export interface RejectedOrder {
  orderId: string;
  reason: RejectReason;
}

/** Local trades sit between the utility's tariffs; all in micro-currency per kWh. */
export interface MarketTariffs {
  /** What the utility pays for export: the floor of every limit price. */
  feedInMicroPerKWh: number;
  /** What the utility charges for import: the ceiling of every limit price. */
  retailMicroPerKWh: number;
  /** Network charge per locally traded kWh, paid by the buyer on top of the price. */
  gridFeeMicroPerKWh: number;
  /** Digits of the minor unit money is booked in (2: cents). */
  minorUnitDigits: number;
}
