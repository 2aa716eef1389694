// Order validation (issue #5 item 2). Rejections are values with a reason code; the valid
// orders of the same book still clear.
import {
  ANY_ENERGY,
  UNSPECIFIED_ENERGY,
  type MarketTariffs,
  type Order,
  type OrderInput,
  type OrderSide,
  type RejectReason,
  type RejectedOrder,
} from './order-types';
import { MICRO_PER_UNIT, parseScaledDecimal } from './price';

/** 1 GWh in one order and interval: beyond any microgrid, and sums stay exact integers. */
export const MAX_ORDER_ENERGY_WH = 1e9;

/** Shared by every order without partners: a million books allocate no empty arrays. */
const NO_PARTNERS: readonly string[] = Object.freeze([]);

export interface ValidatedBook {
  /** Valid orders in input order (input order breaks price ties). */
  accepted: Order[];
  rejected: RejectedOrder[];
}

/**
 * Checks each order, in input order, and gives the first failing reason:
 * duplicate id (against every earlier order, valid or not) → side → member (only when
 * `memberIds` is given) → energy → price → tariff bounds → opposite side. A member holds
 * one net position per interval: its first valid order fixes its side, and later valid
 * orders on the other side are rejected with `opposite_side` (so no one trades with
 * themselves). An invalid order does not fix a side.
 */
export function validateOrders(
  inputs: readonly OrderInput[],
  tariffs: MarketTariffs,
  memberIds?: ReadonlySet<string>,
): ValidatedBook {
  const accepted: Order[] = [];
  const rejected: RejectedOrder[] = [];
  const seenIds = new Set<string>();
  const memberSide = new Map<string, OrderSide>();
  for (const input of inputs) {
    // One hash operation per set and order: add, and a size that did not grow is a duplicate.
    const seenBefore = seenIds.size;
    seenIds.add(input.id);
    let priceOrReason: RejectReason | number =
      seenIds.size === seenBefore ? 'duplicate_id' : check(input, tariffs, memberIds);
    // The last check, here so that one lookup serves both the check and the bookkeeping.
    const side = typeof priceOrReason === 'number' ? memberSide.get(input.member) : undefined;
    if (side !== undefined && side !== input.side) priceOrReason = 'opposite_side';
    if (typeof priceOrReason === 'string') {
      rejected.push({ orderId: input.id, reason: priceOrReason });
      continue;
    }
    if (side === undefined) memberSide.set(input.member, input.side as OrderSide);
    accepted.push({
      id: input.id,
      memberId: input.member,
      side: input.side as OrderSide,
      energyWh: input.energyWh,
      priceMicroPerKWh: priceOrReason,
      preferredPartners: input.preferredPartners ?? NO_PARTNERS,
      energyType: input.energyType ?? (input.side === 'buy' ? ANY_ENERGY : UNSPECIFIED_ENERGY),
    });
  }
  return { accepted, rejected };
}

/** The price in micro-units, or the first failing reason after duplicate_id and before opposite_side. */
function check(
  input: OrderInput,
  tariffs: MarketTariffs,
  memberIds: ReadonlySet<string> | undefined,
): RejectReason | number {
  if (input.side !== 'buy' && input.side !== 'sell') return 'unknown_side';
  if (memberIds && !memberIds.has(input.member)) return 'unknown_member';
  const energyWh = input.energyWh;
  if (!Number.isInteger(energyWh)) return 'energy_not_integer';
  if (energyWh <= 0) return 'energy_not_positive';
  if (energyWh > MAX_ORDER_ENERGY_WH) return 'energy_too_large';
  let micro = numberPriceMicro(input.price);
  if (micro < 0) {
    const price = parseScaledDecimal(input.price);
    if (!price.ok) return price.reason === 'price_too_large' ? 'price_above_retail' : price.reason;
    micro = price.micro;
  }
  if (micro < tariffs.feedInMicroPerKWh) return 'price_below_feed_in';
  if (micro > tariffs.retailMicroPerKWh) return 'price_above_retail';
  return micro;
}

/**
 * parseScaledDecimal's fast path for a JSON number, without its result object (−1: take
 * the full parser). Same rule: the scaled double rounds to an integer whose quotient is
 * that very double, so the price has at most six decimals and is read exactly.
 */
function numberPriceMicro(value: number | string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1e6)) return -1;
  const scaled = Math.round(value * MICRO_PER_UNIT);
  return scaled / MICRO_PER_UNIT === value ? scaled : -1;
}
