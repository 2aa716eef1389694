// Clearing under island rules: the grid is gone, so an unmatched buy cannot be imported
// and an unmatched sell cannot be exported. The energy on offer is shared out instead:
//
// - supply S = all sell energy, demand D = all buy energy, traded T = min(S, D).
// - S ≥ D: every buy is served in full and each sell delivers its pro-rata part of D.
//   S < D: every sell delivers in full and buyers get max-min fair shares of S, per member
//   (water-filling), so placing several orders earns no bigger share; a member's share
//   fills its orders in order.
// - price: `fair-share` the fixed island price; `scarcity-price` min(cap, base × D ÷ S),
//   half up, when D > S, else the base. Sellers receive it, buyers pay it plus the grid fee
//   (the wires are still the network operator's), as in the normal market.
// - Limit prices, energy-type requirements, preferred partners and feeder capacities are
//   not applied: in an island the price is administered, not bid, and a member's use
//   beyond its ration settles at the island price anyway (settlement.ts), so a limit could
//   not protect it; physical limits are the control layer's job.
// - Trades pair buyers and sellers along one line of the T Wh shared out, both in order:
//   each pairing trades the overlap of their parts (at most buyers + sellers − 1 trades).
//   A full seller × buyer matrix would split every ration into slivers of a few Wh, each
//   rounded to the cent on its own; which seller a buyer's Wh are booked against changes
//   no one's totals, as everyone trades at the one price.
// - Money per trade as in clear-market.ts: buyer and seller sides rounded half up, the
//   grid fee their difference, so every trade balances to the minor unit.
import type {
  ClearingResult,
  IslandClearing,
  IslandRation,
  Mechanism,
  Trade,
} from './clearing-types';
import { proRata, waterFill } from './fair-share';
import { scarcityPrice, type IslandTerms } from './island-rules';
import { amountMinor } from './money';
import type { MarketTariffs, Order, RejectedOrder } from './order-types';

/** Clears valid orders (validateOrders) under island rules. */
export function clearIsland(
  orders: readonly Order[],
  rejected: RejectedOrder[],
  tariffs: MarketTariffs,
  terms: IslandTerms,
  mechanism: Mechanism,
): ClearingResult {
  const buys = orders.filter((o) => o.side === 'buy');
  const sells = orders.filter((o) => o.side === 'sell');
  const supplyWh = sum(sells.map((o) => o.energyWh));
  const demandWh = sum(buys.map((o) => o.energyWh));
  const tradedWh = Math.min(supplyWh, demandWh);

  const buyWh = buyerShares(buys, supplyWh);
  const sellWh = proRata(
    sells.map((o) => o.energyWh),
    tradedWh,
  );
  const priceMicroPerKWh =
    terms.rule === 'scarcity-price'
      ? scarcityPrice(terms.basePriceMicroPerKWh, terms.capMicroPerKWh, supplyWh, demandWh)
      : terms.basePriceMicroPerKWh;
  const trades = pairUp(buys, buyWh, sells, sellWh, priceMicroPerKWh, tariffs);

  const island: IslandClearing = {
    rule: terms.rule,
    basePriceMicroPerKWh: terms.basePriceMicroPerKWh,
    capMicroPerKWh: terms.capMicroPerKWh,
    priceMicroPerKWh,
    supplyWh,
    demandWh,
    tradedWh,
    rations: [...rationsOf(buys, buyWh, 'buy'), ...rationsOf(sells, sellWh, 'sell')],
  };
  const buyersPayMinor = sum(trades.map((t) => t.buyerPaysMinor));
  const sellersReceiveMinor = sum(trades.map((t) => t.sellerReceivesMinor));
  return {
    mechanism,
    gridFeeMicroPerKWh: tariffs.gridFeeMicroPerKWh,
    clearingPriceMicroPerKWh: trades.length > 0 ? priceMicroPerKWh : null,
    trades,
    // Nothing goes to or comes from a utility: what is not shared out is in the rations.
    unmatched: [],
    rejected,
    zones: [
      {
        id: 0,
        feederIds: [],
        clearingPriceMicroPerKWh: trades.length > 0 ? priceMicroPerKWh : null,
        lastPair: null,
        nextBuy: null,
        nextSell: null,
      },
    ],
    bindingLinks: [],
    totals: {
      offeredWh: supplyWh,
      demandedWh: demandWh,
      tradedWh,
      importWh: 0,
      exportWh: 0,
      buyersPayMinor,
      sellersReceiveMinor,
      gridFeesMinor: buyersPayMinor - sellersReceiveMinor,
      congestionMinor: 0,
      importCostMinor: 0,
      exportRevenueMinor: 0,
    },
    island,
  };
}

/** Each buy order's share: members water-filled on their summed demand, then order by order. */
function buyerShares(buys: readonly Order[], supplyWh: number): number[] {
  const members = [...new Set(buys.map((o) => o.memberId))];
  const demand = new Map<string, number>(members.map((m) => [m, 0]));
  for (const o of buys) demand.set(o.memberId, (demand.get(o.memberId) ?? 0) + o.energyWh);
  const shares = waterFill(
    members.map((m) => demand.get(m) ?? 0),
    supplyWh,
  );
  const left = new Map(members.map((m, i) => [m, shares[i] ?? 0]));
  return buys.map((o) => {
    const share = Math.min(o.energyWh, left.get(o.memberId) ?? 0);
    left.set(o.memberId, (left.get(o.memberId) ?? 0) - share);
    return share;
  });
}

function pairUp(
  buys: readonly Order[],
  buyWh: readonly number[],
  sells: readonly Order[],
  sellWh: readonly number[],
  priceMicroPerKWh: number,
  tariffs: MarketTariffs,
): Trade[] {
  const buyerPrice = priceMicroPerKWh + tariffs.gridFeeMicroPerKWh;
  const digits = tariffs.minorUnitDigits;
  const trades: Trade[] = [];
  let b = 0;
  let s = 0;
  let buyLeft = buyWh[0] ?? 0;
  let sellLeft = sellWh[0] ?? 0;
  while (b < buys.length && s < sells.length) {
    if (buyLeft === 0) {
      buyLeft = buyWh[++b] ?? 0;
      continue;
    }
    if (sellLeft === 0) {
      sellLeft = sellWh[++s] ?? 0;
      continue;
    }
    const energyWh = Math.min(buyLeft, sellLeft);
    const buy = buys[b] as Order;
    const sell = sells[s] as Order;
    const buyerPaysMinor = amountMinor(energyWh, buyerPrice, digits);
    const sellerReceivesMinor = amountMinor(energyWh, priceMicroPerKWh, digits);
    trades.push({
      buyOrderId: buy.id,
      sellOrderId: sell.id,
      buyerId: buy.memberId,
      sellerId: sell.memberId,
      energyWh,
      priceMicroPerKWh,
      buyerPriceMicroPerKWh: buyerPrice,
      pass: 'open',
      buyerPaysMinor,
      sellerReceivesMinor,
      gridFeeMinor: buyerPaysMinor - sellerReceivesMinor,
      congestionMinor: 0,
    });
    buyLeft -= energyWh;
    sellLeft -= energyWh;
  }
  return trades;
}

function rationsOf(
  orders: readonly Order[],
  shares: readonly number[],
  side: 'buy' | 'sell',
): IslandRation[] {
  const byMember = new Map<string, IslandRation>();
  orders.forEach((o, i) => {
    const r = byMember.get(o.memberId) ?? {
      memberId: o.memberId,
      side,
      requestedWh: 0,
      rationWh: 0,
    };
    r.requestedWh += o.energyWh;
    r.rationWh += shares[i] ?? 0;
    byMember.set(o.memberId, r);
  });
  return [...byMember.values()].sort((a, b) => (a.memberId < b.memberId ? -1 : 1));
}

const sum = (values: readonly number[]): number => values.reduce((a, v) => a + v, 0);
