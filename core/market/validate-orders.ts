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
import { parseScaledDecimal } from './price';

/** 1 GWh in one order and interval: beyond any microgrid, and sums stay exact integers. */
export const MAX_ORDER_ENERGY_WH = 1e9;

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
    const reason = check(input, tariffs, seenIds, memberSide, memberIds);
    seenIds.add(input.id);
    if (typeof reason === 'string') {
      rejected.push({ orderId: input.id, reason });
      continue;
    }
    memberSide.set(input.member, input.side as OrderSide);
    accepted.push({
      id: input.id,
      memberId: input.member,
      side: input.side as OrderSide,
      energyWh: input.energyWh,
      priceMicroPerKWh: reason.priceMicroPerKWh,
      preferredPartners: input.preferredPartners ?? [],
      energyType: input.energyType ?? (input.side === 'buy' ? ANY_ENERGY : UNSPECIFIED_ENERGY),
    });
  }
  return { accepted, rejected };
}

function check(
  input: OrderInput,
  tariffs: MarketTariffs,
  seenIds: ReadonlySet<string>,
  memberSide: ReadonlyMap<string, OrderSide>,
  memberIds: ReadonlySet<string> | undefined,
): RejectReason | { priceMicroPerKWh: number } {
  if (seenIds.has(input.id)) return 'duplicate_id';
  if (input.side !== 'buy' && input.side !== 'sell') return 'unknown_side';
  if (memberIds && !memberIds.has(input.member)) return 'unknown_member';
  const energyWh = input.energyWh;
  if (!Number.isInteger(energyWh)) return 'energy_not_integer';
  if (energyWh <= 0) return 'energy_not_positive';
  if (energyWh > MAX_ORDER_ENERGY_WH) return 'energy_too_large';
  const price = parseScaledDecimal(input.price);
  if (!price.ok) return price.reason === 'price_too_large' ? 'price_above_retail' : price.reason;
  if (price.micro < tariffs.feedInMicroPerKWh) return 'price_below_feed_in';
  if (price.micro > tariffs.retailMicroPerKWh) return 'price_above_retail';
  const side = memberSide.get(input.member);
  if (side !== undefined && side !== input.side) return 'opposite_side';
  return { priceMicroPerKWh: price.micro };
}
