// `npm run bench:market`: clears random books of 1k, 10k, 100k and 1M orders and prints,
// in the same run, the time to sort the same orders alone. Asserts nothing.
//   sort     the valid orders split by side and sorted by price with Array#sort and a
//            comparator (what a plain implementation does before pairing); the baseline
//   clear    clearOrders(): merit-order sort, pairing, pay-as-clear pricing, money per
//            trade in minor units and the result objects (trades, unmatched, totals)
//   match    the sort and pairing alone (typed arrays, no result objects)
//   validate validateOrders() on the raw orders (prices parsed exactly), not in `clear`
//   ratio    clear / sort (target ≤ 3)
// Each figure is the best of several runs (fewer for large books); seeded random books.
// Sort and clear runs alternate, so a busy machine slows both alike and the ratio holds.
//   npx tsx scripts/bench-market.ts [--sizes=1000,10000,100000,1000000] [--network]
// --network adds a 3-level feeder tree of 13 feeders with capacities that bind.
import { clearOrders } from '../core/market/clear-market';
import { matchOrders } from '../core/market/match-passes';
import { buildNetwork, LinkFlows, type MarketNetwork } from '../core/market/network';
import type { MarketTariffs, Order, OrderInput } from '../core/market/order-types';
import type { FeederLink } from '../core/market/network';
import { validateOrders } from '../core/market/validate-orders';

const arg = (name: string, fallback: string): string =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const sizes = arg('sizes', '1000,10000,100000,1000000').split(',').map(Number);
const withNetwork = process.argv.includes('--network');

const tariffs: MarketTariffs = {
  feedInMicroPerKWh: 80_000,
  retailMicroPerKWh: 300_000,
  gridFeeMicroPerKWh: 20_000,
  minorUnitDigits: 2,
};

/** mulberry32: small, seeded, good enough for benchmark books. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function book(n: number): OrderInput[] {
  const rnd = random(n);
  return Array.from({ length: n }, (_, i) => ({
    id: `o${i}`,
    member: `m${i}`,
    side: rnd() < 0.5 ? 'buy' : 'sell',
    energyWh: 1 + Math.floor(rnd() * 5000),
    // Whole tenths of a cent per kWh between the tariffs, as JSON numbers.
    price: (80_000 + Math.floor(rnd() * 221) * 1000) / 1e6,
  }));
}

function network(n: number): MarketNetwork {
  const feeders: FeederLink[] = [{ id: 'root', parentId: null, linkCapacityWh: null }];
  for (let a = 0; a < 3; a++) {
    feeders.push({ id: `f${a}`, parentId: 'root', linkCapacityWh: 200 * n });
    for (let b = 0; b < 3; b++)
      feeders.push({ id: `f${a}-${b}`, parentId: `f${a}`, linkCapacityWh: 100 * n });
  }
  const members = Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    feederId: feeders[i % feeders.length]?.id ?? 'root',
  }));
  const built = buildNetwork(feeders, members);
  if (!built.ok) throw new Error(built.error.message);
  return built.value;
}

function best(runs: number, fn: () => unknown): number {
  let bestMs = Infinity;
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    bestMs = Math.min(bestMs, performance.now() - start);
  }
  return bestMs;
}

function sortAlone(orders: readonly Order[]): void {
  const buys = orders.filter((o) => o.side === 'buy');
  const sells = orders.filter((o) => o.side === 'sell');
  buys.sort((a, b) => b.priceMicroPerKWh - a.priceMicroPerKWh);
  sells.sort((a, b) => a.priceMicroPerKWh - b.priceMicroPerKWh);
}

const ms = (v: number) => v.toFixed(v < 10 ? 2 : 1).padStart(9);
console.log(
  `node ${process.version}, ${withNetwork ? 'feeder network (13 feeders)' : 'no network'}, pay-as-clear`,
);
console.log(
  `${'orders'.padStart(9)} ${'sort ms'.padStart(9)} ${'clear ms'.padStart(9)} ${'ratio'.padStart(6)} ${'match ms'.padStart(9)} ${'valid ms'.padStart(9)} ${'trades'.padStart(8)}  price`,
);
for (const n of sizes) {
  const inputs = book(n);
  const runs = n >= 1_000_000 ? 3 : n >= 100_000 ? 5 : 20;
  let validated = validateOrders(inputs, tariffs);
  const validateMs = best(Math.min(runs, 3), () => (validated = validateOrders(inputs, tariffs)));
  const orders = validated.accepted;
  const net = withNetwork ? network(n) : undefined;
  const feederOf = (o: readonly Order[]) =>
    Int32Array.from(o, (x) => net?.memberFeeder.get(x.memberId) ?? 0);
  // Results are not kept between runs: a station holds one clearing result at a time.
  let sortMs = Infinity;
  let clearMs = Infinity;
  for (let r = 0; r < runs; r++) {
    sortMs = Math.min(
      sortMs,
      best(1, () => sortAlone(orders)),
    );
    clearMs = Math.min(
      clearMs,
      best(1, () => clearOrders(orders, [], tariffs, 'pay-as-clear', net)),
    );
  }
  const matchMs = best(runs, () =>
    matchOrders(
      orders,
      tariffs.gridFeeMicroPerKWh,
      net ? { flows: new LinkFlows(net), feederOf: feederOf(orders) } : undefined,
    ),
  );
  const result = clearOrders(orders, [], tariffs, 'pay-as-clear', net);
  const price = result.clearingPriceMicroPerKWh;
  console.log(
    `${String(n).padStart(9)} ${ms(sortMs)} ${ms(clearMs)} ${(clearMs / sortMs).toFixed(2).padStart(6)} ${ms(matchMs)} ${ms(validateMs)} ${String(result.trades.length).padStart(8)}  ${
      price === null
        ? `${result.zones.length} zones, ${result.bindingLinks.length} binding`
        : price / 1e6
    }`,
  );
}
