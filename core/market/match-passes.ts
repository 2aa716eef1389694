// Pairing of buys with sells in merit order, in three passes (issue #5 item 4):
//
//   1. preferred partners: a pair is preferred when the buy names the seller's member in
//      its preferredPartners, or the sell names the buyer's member. Buys go in merit order
//      (highest first); each trades with its preferred sells cheapest first.
//   2. energy type: buys that require a type (energyType ≠ 'any', e.g. 'solar') clear in
//      a book of their own against the sells offering that type, one book per type.
//   3. open: the buys that accept any energy against all remaining sells.
//
// A buy's energy type is a hard constraint in every pass: a 'solar' buy never trades with
// a sell of another type, not even a preferred one. Preferences only change the order.
// Every pairing needs buy.price >= sell.price + gridFee and trades min(remaining) Wh.
// Without requirements passes 1 and 2 trade nothing and pass 3 is the plain
// algorithm: pair the first remaining buy with the first remaining sell, move past
// whichever is filled (both if equal), stop at the first pair that is too far apart.
//
// With a feeder network every pairing is also limited by the room left on the links
// between the two members (network.ts). Then each buy trades with the cheapest sell it
// can still reach; a sell behind a full link stays available to buyers on its side.
// A link that stops or shortens a pairing that prices allow is "binding".
import type { LinkFlows } from './network';
import { ANY_ENERGY, type Order } from './order-types';
import { sortByPrice } from './sort-book';
import { PASS_ENERGY_TYPE, PASS_OPEN, PASS_PREFERRED, TradeLog } from './trade-log';

export interface MatchNetwork {
  flows: LinkFlows;
  /** Feeder index per order. */
  feederOf: Int32Array;
}

export interface MatchOutcome {
  trades: TradeLog;
  /** Unmatched Wh per order (index as in the order list). */
  remainingWh: Float64Array;
  /** Buy order indices, highest price first (merit order). */
  buys: Int32Array;
  /** Sell order indices, lowest price first. */
  sells: Int32Array;
  priceMicroPerKWh: Float64Array;
  /** Feeder indices of binding links. */
  bindingLinks: Set<number>;
}

export function matchOrders(
  orders: readonly Order[],
  gridFeeMicroPerKWh: number,
  network?: MatchNetwork,
): MatchOutcome {
  const n = orders.length;
  const price = new Float64Array(n);
  const remaining = new Float64Array(n);
  let buyCount = 0;
  let hasRequirements = false;
  for (let i = 0; i < n; i++) {
    const o = orders[i] as Order;
    price[i] = o.priceMicroPerKWh;
    remaining[i] = o.energyWh;
    if (o.side === 'buy') {
      buyCount++;
      if (o.energyType !== ANY_ENERGY) hasRequirements = true;
    }
    if (o.preferredPartners.length > 0) hasRequirements = true;
  }
  const buyInput = new Int32Array(buyCount);
  const sellInput = new Int32Array(n - buyCount);
  for (let i = 0, b = 0, s = 0; i < n; i++) {
    if ((orders[i] as Order).side === 'buy') buyInput[b++] = i;
    else sellInput[s++] = i;
  }
  const buys = sortByPrice(buyInput, price, true);
  const sells = sortByPrice(sellInput, price, false);
  const m = new Matcher(orders, price, remaining, gridFeeMicroPerKWh, n, network);
  if (hasRequirements) {
    m.preferredPass(buys, sells);
    m.energyTypePass(buys, sells);
    m.pair(
      buys.filter((b) => (orders[b] as Order).energyType === ANY_ENERGY),
      sells,
      PASS_OPEN,
    );
  } else {
    m.pair(buys, sells, PASS_OPEN);
  }
  return {
    trades: m.log,
    remainingWh: remaining,
    buys,
    sells,
    priceMicroPerKWh: price,
    bindingLinks: m.binding,
  };
}

class Matcher {
  readonly log: TradeLog;
  readonly binding = new Set<number>();

  constructor(
    private readonly orders: readonly Order[],
    private readonly price: Float64Array,
    private readonly remaining: Float64Array,
    private readonly fee: number,
    orderCount: number,
    private readonly network: MatchNetwork | undefined,
  ) {
    this.log = new TradeLog(orderCount);
  }

  /** Pairs two merit-ordered lists (all pairs compatible) in one pass. */
  pair(buys: Int32Array, sells: Int32Array, pass: number): void {
    if (this.network) this.pairOnNetwork(buys, sells, pass, this.network);
    else this.pairTwoPointer(buys, sells, pass);
  }

  /** The loop; orders filled in an earlier pass are skipped. */
  private pairTwoPointer(buys: Int32Array, sells: Int32Array, pass: number): void {
    const { price, remaining, fee, log } = this;
    let bi = 0;
    let si = 0;
    const bn = buys.length;
    const sn = sells.length;
    while (bi < bn && si < sn) {
      const b = buys[bi] as number;
      const s = sells[si] as number;
      const rb = remaining[b] as number;
      if (rb === 0) {
        bi++;
        continue;
      }
      const rs = remaining[s] as number;
      if (rs === 0) {
        si++;
        continue;
      }
      if ((price[b] as number) < (price[s] as number) + fee) break;
      const e = rb < rs ? rb : rs;
      log.push(b, s, e, pass);
      remaining[b] = rb - e;
      remaining[s] = rs - e;
      if (rb === e) bi++;
      if (rs === e) si++;
    }
  }

  /**
   * Each buy, in merit order, takes the cheapest sell it can reach. Sells are queued per
   * feeder (in merit order), so a step looks at one head per feeder: O(feeders × depth).
   */
  private pairOnNetwork(
    buys: Int32Array,
    sells: Int32Array,
    pass: number,
    network: MatchNetwork,
  ): void {
    const { price, remaining, fee, log } = this;
    const { flows, feederOf } = network;
    const feederCount = flows.network.parent.length;
    const queues: number[][] = Array.from({ length: feederCount }, () => []);
    for (const s of sells) if ((remaining[s] as number) > 0) queues[feederOf[s] as number]?.push(s);
    const rank = new Int32Array(price.length);
    sells.forEach((s, r) => (rank[s] = r));
    const heads = new Int32Array(feederCount);
    for (const b of buys) {
      const to = feederOf[b] as number;
      while ((remaining[b] as number) > 0) {
        let best = -1;
        let bestRoom = 0;
        for (let f = 0; f < feederCount; f++) {
          const queue = queues[f] as number[];
          let h = heads[f] as number;
          while (h < queue.length && remaining[queue[h] as number] === 0) h++;
          heads[f] = h;
          if (h === queue.length) continue;
          const s = queue[h] as number;
          if (best !== -1 && (rank[s] as number) > (rank[best] as number)) continue;
          const room = flows.roomWh(f, to);
          if (room <= 0) {
            if ((price[b] as number) >= (price[s] as number) + fee)
              for (const link of flows.limitingLinks(f, to, room)) this.binding.add(link);
            continue;
          }
          best = s;
          bestRoom = room;
        }
        if (best === -1 || (price[b] as number) < (price[best] as number) + fee) break;
        const rb = remaining[b] as number;
        const rs = remaining[best] as number;
        let e = rb < rs ? rb : rs;
        const from = feederOf[best] as number;
        if (bestRoom < e) {
          for (const link of flows.limitingLinks(from, to, bestRoom)) this.binding.add(link);
          e = bestRoom;
        }
        log.push(b, best, e, pass);
        remaining[b] = rb - e;
        remaining[best] = rs - e;
        flows.add(from, to, e);
      }
    }
  }

  preferredPass(buys: Int32Array, sells: Int32Array): void {
    const { orders, remaining, price, fee } = this;
    const sellRanksOfMember = new Map<string, number[]>();
    const sellRanksPreferring = new Map<string, number[]>();
    sells.forEach((s, r) => {
      const o = orders[s] as Order;
      listIn(sellRanksOfMember, o.memberId).push(r);
      for (const buyer of o.preferredPartners) listIn(sellRanksPreferring, buyer).push(r);
    });
    for (const b of buys) {
      const buy = orders[b] as Order;
      const ranks = new Set(sellRanksPreferring.get(buy.memberId));
      for (const seller of buy.preferredPartners)
        for (const r of sellRanksOfMember.get(seller) ?? []) ranks.add(r);
      if (ranks.size === 0) continue;
      for (const r of [...ranks].sort((x, y) => x - y)) {
        const s = sells[r] as number;
        if ((remaining[b] as number) === 0) break;
        if ((price[b] as number) < (price[s] as number) + fee) break;
        if (remaining[s] === 0 || !compatible(buy, orders[s] as Order)) continue;
        this.trade(b, s, PASS_PREFERRED);
      }
    }
  }

  energyTypePass(buys: Int32Array, sells: Int32Array): void {
    const { orders, remaining } = this;
    const buysByType = new Map<string, number[]>();
    for (const b of buys) {
      const type = (orders[b] as Order).energyType;
      if (type !== ANY_ENERGY && (remaining[b] as number) > 0) listIn(buysByType, type).push(b);
    }
    for (const [type, typeBuys] of buysByType) {
      const typeSells = sells.filter(
        (s) => (orders[s] as Order).energyType === type && (remaining[s] as number) > 0,
      );
      this.pair(Int32Array.from(typeBuys), typeSells, PASS_ENERGY_TYPE);
    }
  }

  /** One pairing outside the bulk loops (preferred pass), limited by the network. */
  private trade(b: number, s: number, pass: number): void {
    const { remaining, log, network } = this;
    const rb = remaining[b] as number;
    const rs = remaining[s] as number;
    let e = rb < rs ? rb : rs;
    if (network) {
      const from = network.feederOf[s] as number;
      const to = network.feederOf[b] as number;
      const room = network.flows.roomWh(from, to);
      if (room < e) {
        for (const link of network.flows.limitingLinks(from, to, room)) this.binding.add(link);
        e = room;
      }
      if (e <= 0) return;
      network.flows.add(from, to, e);
    }
    log.push(b, s, e, pass);
    remaining[b] = rb - e;
    remaining[s] = rs - e;
  }
}

function compatible(buy: Order, sell: Order): boolean {
  return buy.energyType === ANY_ENERGY || buy.energyType === sell.energyType;
}

function listIn<K, V>(map: Map<K, V[]>, key: K): V[] {
  let list = map.get(key);
  if (!list) map.set(key, (list = []));
  return list;
}
