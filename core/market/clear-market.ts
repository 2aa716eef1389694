// One clearing of one interval: validate → match (match-passes.ts) → price → book money.
//
// Prices (micro-currency per kWh):
// - pay-as-clear: each zone's price is the midpoint ((lastBuy.price − gridFee) +
//   lastSell.price) / 2 of the last pair matched inside the zone (the open pass's last
//   pair when it traded, else the last of any pass), a half unit rounded to even. Every
//   trade of the plain merit order fits that price (its buy bid ≥ the last buy's, its sell
//   asked ≤ the last sell's). A trade from a requirement pass whose own limits do not
//   admit the zone price is priced at the nearest limit, so no buyer ever pays more than
//   its bid and no seller gets less than its ask.
// - pay-as-bid: the seller receives buy.price − gridFee, the buyer pays its bid.
// - across zones (split market): the seller receives its zone's price, the buyer pays its
//   zone's price + grid fee; the difference is congestion rent (as on power exchanges),
//   which settlement.ts books to the community fund.
import { fail, ok, type Result } from '../result';
import type {
  BindingLink,
  ClearingResult,
  ClearingTotals,
  Mechanism,
  Trade,
  Unmatched,
  Zone,
} from './clearing-types';
import { matchOrders, type MatchNetwork, type MatchOutcome } from './match-passes';
import { amountMinor } from './money';
import {
  buildNetwork,
  LinkFlows,
  type FeederLink,
  type FeederMember,
  type MarketNetwork,
} from './network';
import type { MarketTariffs, Order, OrderInput, RejectedOrder } from './order-types';
import { clamp, midpointHalfEven } from './price';
import { PASS_NAMES, PASS_OPEN } from './trade-log';
import { validateOrders } from './validate-orders';

export interface MarketInput {
  mechanism: Mechanism;
  tariffs: MarketTariffs;
  orders: readonly OrderInput[];
  /** When given, orders of anyone else are rejected (`unknown_member`). */
  members?: readonly FeederMember[];
  /** With members: clear network-aware over the feeder tree. */
  feeders?: readonly FeederLink[];
}

/** Fails only on a bad feeder tree; bad orders are rejected one by one in the result. */
export function clearMarket(input: MarketInput): Result<ClearingResult> {
  let network: MarketNetwork | undefined;
  if (input.feeders) {
    const built = buildNetwork(input.feeders, input.members ?? []);
    if (!built.ok) return built;
    network = built.value;
  }
  const memberIds = input.members ? new Set(input.members.map((m) => m.id)) : undefined;
  if (network && !memberIds)
    return fail({ code: 'no_members', path: 'members', message: 'members: feeders need members' });
  const book = validateOrders(input.orders, input.tariffs, memberIds);
  return ok(clearOrders(book.accepted, book.rejected, input.tariffs, input.mechanism, network));
}

/** Clears orders that are already valid (validateOrders), e.g. from the interval store. */
export function clearOrders(
  orders: readonly Order[],
  rejected: RejectedOrder[],
  tariffs: MarketTariffs,
  mechanism: Mechanism,
  network?: MarketNetwork,
): ClearingResult {
  const fee = tariffs.gridFeeMicroPerKWh;
  let matchNetwork: MatchNetwork | undefined;
  if (network) {
    const feederOf = new Int32Array(orders.length);
    orders.forEach((o, i) => (feederOf[i] = network.memberFeeder.get(o.memberId) ?? 0));
    matchNetwork = { flows: new LinkFlows(network), feederOf };
  }
  const outcome = matchOrders(orders, fee, matchNetwork);
  const zoning = zonesOf(orders.length, outcome, network, matchNetwork);
  const setter = lastPairs(outcome, zoning.zoneOfOrder, zoning.count);
  const zonePrice = zonePrices(outcome, setter, zoning.count, fee, mechanism);
  const totals = emptyTotals();
  const trades = priceTrades(
    orders,
    outcome,
    zoning.zoneOfOrder,
    zonePrice,
    tariffs,
    mechanism,
    totals,
  );
  const unmatched = unmatchedOf(orders, outcome.remainingWh, tariffs, totals);
  const zones = describeZones(orders, outcome, zoning, zonePrice, setter);
  const bindingLinks: BindingLink[] = network
    ? [...outcome.bindingLinks]
        .sort((a, b) => a - b)
        .map((f) => ({
          feederId: network.feederIds[f] as string,
          capacityWh: network.capacityWh[f] as number,
          flowWh: matchNetwork?.flows.flowWh[f] ?? 0,
        }))
    : [];
  const single = zoning.count === 1 ? zonePrice[0] : undefined;
  return {
    mechanism,
    gridFeeMicroPerKWh: fee,
    clearingPriceMicroPerKWh: single === undefined || Number.isNaN(single) ? null : single,
    trades,
    unmatched,
    rejected,
    zones,
    bindingLinks,
    totals,
  };
}

interface Zoning {
  count: number;
  zoneOfOrder: Int32Array;
  feederIdsOfZone: string[][];
}

/**
 * Zones are the parts of the feeder tree left when binding links are cut (all roots join
 * through the grid connection). Without a network, or with no binding link, one zone.
 */
function zonesOf(
  orderCount: number,
  outcome: MatchOutcome,
  network: MarketNetwork | undefined,
  matchNetwork: MatchNetwork | undefined,
): Zoning {
  const zoneOfOrder = new Int32Array(orderCount);
  if (!network || !matchNetwork) return { count: 1, zoneOfOrder, feederIdsOfZone: [[]] };
  const feederCount = network.parent.length;
  const up = Int32Array.from({ length: feederCount }, (_, i) => i);
  const find = (f: number): number => {
    while (up[f] !== f) f = up[f] = up[up[f] as number] as number;
    return f;
  };
  let firstRoot = -1;
  for (let f = 0; f < feederCount; f++) {
    const p = network.parent[f] as number;
    const other = p === -1 ? firstRoot : outcome.bindingLinks.has(f) ? -1 : p;
    if (p === -1 && firstRoot === -1) firstRoot = f;
    if (other !== -1) up[find(f)] = find(other);
  }
  const zoneOfRoot = new Map<number, number>();
  const zoneOfFeeder = new Int32Array(feederCount);
  const feederIdsOfZone: string[][] = [];
  for (let f = 0; f < feederCount; f++) {
    const root = find(f);
    let z = zoneOfRoot.get(root);
    if (z === undefined) {
      z = zoneOfRoot.size;
      zoneOfRoot.set(root, z);
      feederIdsOfZone.push([]);
    }
    zoneOfFeeder[f] = z;
    feederIdsOfZone[z]?.push(network.feederIds[f] as string);
  }
  for (let i = 0; i < orderCount; i++)
    zoneOfOrder[i] = zoneOfFeeder[matchNetwork.feederOf[i] as number] as number;
  return { count: Math.max(1, zoneOfRoot.size), zoneOfOrder, feederIdsOfZone };
}

/** Pay-as-clear price per zone (NaN: none); index of the price-setting trade per zone. */
function zonePrices(
  outcome: MatchOutcome,
  setter: Int32Array,
  zoneCount: number,
  fee: number,
  mechanism: Mechanism,
): Float64Array {
  const prices = new Float64Array(zoneCount).fill(NaN);
  if (mechanism !== 'pay-as-clear') return prices;
  const { trades, priceMicroPerKWh: price } = outcome;
  for (let z = 0; z < zoneCount; z++) {
    const t = setter[z] as number;
    if (t < 0) continue;
    const b = trades.buy[t] as number;
    const s = trades.sell[t] as number;
    prices[z] = midpointHalfEven(price[s] as number, (price[b] as number) - fee);
  }
  return prices;
}

/** Per zone the trade that sets its price: the last open-pass pair inside it, else the last of any pass. */
function lastPairs(outcome: MatchOutcome, zoneOfOrder: Int32Array, zoneCount: number): Int32Array {
  const lastOpen = new Int32Array(zoneCount).fill(-1);
  const lastAny = new Int32Array(zoneCount).fill(-1);
  const { trades } = outcome;
  for (let t = 0; t < trades.count; t++) {
    const z = zoneOfOrder[trades.buy[t] as number] as number;
    if (z !== zoneOfOrder[trades.sell[t] as number]) continue;
    lastAny[z] = t;
    if (trades.pass[t] === PASS_OPEN) lastOpen[z] = t;
  }
  return lastOpen.map((t, z) => (t >= 0 ? t : (lastAny[z] as number)));
}

function priceTrades(
  orders: readonly Order[],
  outcome: MatchOutcome,
  zoneOfOrder: Int32Array,
  zonePrice: Float64Array,
  tariffs: MarketTariffs,
  mechanism: Mechanism,
  totals: ClearingTotals,
): Trade[] {
  const fee = tariffs.gridFeeMicroPerKWh;
  const digits = tariffs.minorUnitDigits;
  const { trades: log, priceMicroPerKWh: price } = outcome;
  // Filled by push: `new Array(n)` of a large n is a slow dictionary-mode array in V8.
  const trades: Trade[] = [];
  for (let t = 0; t < log.count; t++) {
    const b = log.buy[t] as number;
    const s = log.sell[t] as number;
    const e = log.energyWh[t] as number;
    const bid = price[b] as number;
    const ask = price[s] as number;
    let sellerPrice: number;
    let buyerPrice: number;
    if (mechanism === 'pay-as-bid') {
      sellerPrice = bid - fee;
      buyerPrice = bid;
    } else {
      const sellerZone = zonePrice[zoneOfOrder[s] as number] as number;
      const buyerZone = zonePrice[zoneOfOrder[b] as number] as number;
      const own = midpointHalfEven(ask, bid - fee);
      sellerPrice = clamp(Number.isNaN(sellerZone) ? own : sellerZone, ask, bid - fee);
      buyerPrice = clamp(
        (Number.isNaN(buyerZone) ? sellerPrice : buyerZone) + fee,
        sellerPrice + fee,
        bid,
      );
    }
    // Round the two sides, the fee is their difference: each trade balances to the unit.
    const buyerPaysMinor = amountMinor(e, buyerPrice, digits);
    const sellerReceivesMinor = amountMinor(e, sellerPrice, digits);
    const withFeeMinor =
      buyerPrice === sellerPrice + fee ? buyerPaysMinor : amountMinor(e, sellerPrice + fee, digits);
    const buy = orders[b] as Order;
    const sell = orders[s] as Order;
    // Totals here rather than in a second pass over half a million trade objects.
    totals.tradedWh += e;
    totals.buyersPayMinor += buyerPaysMinor;
    totals.sellersReceiveMinor += sellerReceivesMinor;
    totals.gridFeesMinor += withFeeMinor - sellerReceivesMinor;
    totals.congestionMinor += buyerPaysMinor - withFeeMinor;
    trades.push({
      buyOrderId: buy.id,
      sellOrderId: sell.id,
      buyerId: buy.memberId,
      sellerId: sell.memberId,
      energyWh: e,
      priceMicroPerKWh: sellerPrice,
      buyerPriceMicroPerKWh: buyerPrice,
      pass: PASS_NAMES[log.pass[t] as number] ?? 'open',
      buyerPaysMinor,
      sellerReceivesMinor,
      gridFeeMinor: withFeeMinor - sellerReceivesMinor,
      congestionMinor: buyerPaysMinor - withFeeMinor,
    });
  }
  return trades;
}

function unmatchedOf(
  orders: readonly Order[],
  remainingWh: Float64Array,
  tariffs: MarketTariffs,
  totals: ClearingTotals,
): Unmatched[] {
  const unmatched: Unmatched[] = [];
  for (let i = 0; i < orders.length; i++) {
    const o = orders[i] as Order;
    const energyWh = remainingWh[i] as number;
    const isBuy = o.side === 'buy';
    if (isBuy) totals.demandedWh += o.energyWh;
    else totals.offeredWh += o.energyWh;
    if (energyWh === 0) continue;
    const utilityPrice = isBuy ? tariffs.retailMicroPerKWh : tariffs.feedInMicroPerKWh;
    const amount = amountMinor(energyWh, utilityPrice, tariffs.minorUnitDigits);
    if (isBuy) {
      totals.importWh += energyWh;
      totals.importCostMinor += amount;
    } else {
      totals.exportWh += energyWh;
      totals.exportRevenueMinor += amount;
    }
    unmatched.push({
      orderId: o.id,
      memberId: o.memberId,
      side: o.side,
      energyWh,
      utilityPriceMicroPerKWh: utilityPrice,
      amountMinor: amount,
    });
  }
  return unmatched;
}

function describeZones(
  orders: readonly Order[],
  outcome: MatchOutcome,
  zoning: Zoning,
  zonePrice: Float64Array,
  setter: Int32Array,
): Zone[] {
  const { trades, priceMicroPerKWh: price, remainingWh } = outcome;
  const zones: Zone[] = [];
  for (let z = 0; z < zoning.count; z++) {
    const t = setter[z] as number;
    const p = zonePrice[z] as number;
    zones.push({
      id: z,
      feederIds: zoning.feederIdsOfZone[z] ?? [],
      clearingPriceMicroPerKWh: Number.isNaN(p) ? null : p,
      lastPair:
        t < 0
          ? null
          : {
              buyOrderId: (orders[trades.buy[t] as number] as Order).id,
              sellOrderId: (orders[trades.sell[t] as number] as Order).id,
              buyPriceMicroPerKWh: price[trades.buy[t] as number] as number,
              sellPriceMicroPerKWh: price[trades.sell[t] as number] as number,
            },
      nextBuy: null,
      nextSell: null,
    });
  }
  const ref = (i: number) => ({
    orderId: (orders[i] as Order).id,
    priceMicroPerKWh: price[i] as number,
    remainingWh: remainingWh[i] as number,
  });
  for (const list of [outcome.buys, outcome.sells]) {
    const key = list === outcome.buys ? 'nextBuy' : 'nextSell';
    // Stop once every zone has its marginal order (at once in an unsplit market), rather
    // than walk the rest of a million-order merit list.
    let open = zones.length;
    for (let k = 0; k < list.length && open > 0; k++) {
      const i = list[k] as number;
      const zone = zones[zoning.zoneOfOrder[i] as number] as Zone;
      if (zone[key] === null && (remainingWh[i] as number) > 0) {
        zone[key] = ref(i);
        open--;
      }
    }
  }
  return zones;
}

function emptyTotals(): ClearingTotals {
  return {
    offeredWh: 0,
    demandedWh: 0,
    tradedWh: 0,
    importWh: 0,
    exportWh: 0,
    buyersPayMinor: 0,
    sellersReceiveMinor: 0,
    gridFeesMinor: 0,
    congestionMinor: 0,
    importCostMinor: 0,
    exportRevenueMinor: 0,
  };
}
