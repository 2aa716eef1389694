// Invariants of the clearing on random books (fast-check), with and without requirements
// and feeder networks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearMarket } from '../../../core/market/clear-market';
import type { ClearingResult, Mechanism } from '../../../core/market/clearing-types';
import type { FeederLink, FeederMember } from '../../../core/market/network';
import type { OrderInput } from '../../../core/market/order-types';
import { formatScaled } from '../../../core/market/price';
import { tariffsArb } from './arbitraries';

const MEMBERS = 8;
const FEEDERS = 4;

const orderArb = (withRequirements: boolean) =>
  fc.record({
    member: fc.integer({ min: 0, max: MEMBERS - 1 }),
    side: fc.constantFrom('buy', 'sell'),
    energyWh: fc.integer({ min: 1, max: 5000 }),
    /** Position of the price within the tariff band, in 1/1000. */
    pricePermille: fc.integer({ min: 0, max: 1000 }),
    energyType: withRequirements
      ? fc.constantFrom(undefined, 'any', 'solar', 'wind')
      : fc.constant(undefined),
    partners: withRequirements
      ? fc.array(fc.integer({ min: 0, max: MEMBERS - 1 }), { maxLength: 2 })
      : fc.constant<number[]>([]),
  });

const networkArb = fc.record({
  parents: fc.array(fc.nat(), { minLength: FEEDERS - 1, maxLength: FEEDERS - 1 }),
  caps: fc.array(fc.option(fc.integer({ min: 0, max: 6000 })), {
    minLength: FEEDERS,
    maxLength: FEEDERS,
  }),
  memberFeeders: fc.array(fc.integer({ min: 0, max: FEEDERS - 1 }), {
    minLength: MEMBERS,
    maxLength: MEMBERS,
  }),
});

const scenarioArb = (withRequirements: boolean, withNetwork: boolean) =>
  fc.record({
    tariffs: tariffsArb,
    mechanism: fc.constantFrom<Mechanism>('pay-as-clear', 'pay-as-bid'),
    orders: fc.array(orderArb(withRequirements), { maxLength: 40 }),
    network: withNetwork ? networkArb.map((n) => n as typeof n | null) : fc.constant(null),
  });

type Scenario = ReturnType<typeof scenarioArb> extends fc.Arbitrary<infer T> ? T : never;

function run(s: Scenario) {
  const t = s.tariffs;
  const orders: OrderInput[] = s.orders.map((o, i) => {
    const priceMicro =
      t.feedInMicroPerKWh +
      Math.floor(((t.retailMicroPerKWh - t.feedInMicroPerKWh) * o.pricePermille) / 1000);
    return {
      id: `o${i}`,
      member: `m${o.member}`,
      side: o.side,
      energyWh: o.energyWh,
      price: i % 2 ? formatScaled(priceMicro) : Number(formatScaled(priceMicro)),
      energyType: o.energyType,
      preferredPartners: o.partners.map((p) => `m${p}`),
    };
  });
  let feeders: FeederLink[] | undefined;
  let members: FeederMember[] | undefined;
  if (s.network) {
    const n = s.network;
    feeders = Array.from({ length: FEEDERS }, (_, f) => ({
      id: `f${f}`,
      parentId: f === 0 ? null : `f${(n.parents[f - 1] ?? 0) % f}`,
      linkCapacityWh: n.caps[f] ?? null,
    }));
    members = n.memberFeeders.map((f, m) => ({ id: `m${m}`, feederId: `f${f}` }));
  }
  const result = clearMarket({ mechanism: s.mechanism, tariffs: t, orders, feeders, members });
  if (!result.ok) throw new Error(result.error.message);
  return { orders, result: result.value, feeders, members };
}

function checkInvariants(s: Scenario): ClearingResult {
  const { orders, result, feeders, members } = run(s);
  const t = s.tariffs;
  const fee = t.gridFeeMicroPerKWh;
  const byId = new Map(orders.map((o) => [o.id, o]));
  const accepted = orders.filter((o) => !result.rejected.some((r) => r.orderId === o.id));
  const limit = (id: string) => {
    const o = byId.get(id) as OrderInput;
    return Math.round(Number(o.price) * 1e6);
  };
  // Energy: traded + unmatched = offered, per order and in total.
  const tradedOf = new Map<string, number>();
  for (const tr of result.trades) {
    expect(tr.energyWh).toBeGreaterThan(0);
    expect(Number.isInteger(tr.energyWh)).toBe(true);
    tradedOf.set(tr.buyOrderId, (tradedOf.get(tr.buyOrderId) ?? 0) + tr.energyWh);
    tradedOf.set(tr.sellOrderId, (tradedOf.get(tr.sellOrderId) ?? 0) + tr.energyWh);
  }
  const unmatchedOf = new Map(result.unmatched.map((u) => [u.orderId, u.energyWh]));
  for (const o of accepted)
    expect((tradedOf.get(o.id) ?? 0) + (unmatchedOf.get(o.id) ?? 0), o.id).toBe(o.energyWh);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  expect(result.totals.tradedWh * 2 + result.totals.importWh + result.totals.exportWh).toBe(
    sum(accepted.map((o) => o.energyWh)),
  );
  for (const tr of result.trades) {
    const b = byId.get(tr.buyOrderId) as OrderInput;
    const sOrder = byId.get(tr.sellOrderId) as OrderInput;
    expect([b.side, sOrder.side]).toEqual(['buy', 'sell']);
    expect(tr.buyerId).not.toBe(tr.sellerId);
    // No buyer above its bid (fee included), no seller below its ask, within the tariffs.
    expect(tr.buyerPriceMicroPerKWh).toBeLessThanOrEqual(limit(tr.buyOrderId));
    expect(tr.priceMicroPerKWh).toBeGreaterThanOrEqual(limit(tr.sellOrderId));
    expect(tr.buyerPriceMicroPerKWh).toBeGreaterThanOrEqual(tr.priceMicroPerKWh + fee);
    expect(tr.priceMicroPerKWh).toBeGreaterThanOrEqual(t.feedInMicroPerKWh);
    expect(tr.buyerPriceMicroPerKWh).toBeLessThanOrEqual(t.retailMicroPerKWh);
    // Money balances per trade to the minor unit.
    expect(tr.buyerPaysMinor).toBe(tr.sellerReceivesMinor + tr.gridFeeMinor + tr.congestionMinor);
    expect(tr.gridFeeMinor).toBeGreaterThanOrEqual(0);
    expect(tr.congestionMinor).toBeGreaterThanOrEqual(0);
    if (!feeders) expect(tr.congestionMinor).toBe(0);
    // Hard energy-type constraint.
    const wanted = b.energyType ?? 'any';
    if (wanted !== 'any') expect(sOrder.energyType).toBe(wanted);
  }
  if (feeders && members) {
    // Flow on each link = net local sales of the members below it.
    const feederOf = new Map(members.map((m) => [m.id, m.feederId]));
    const parent = new Map(feeders.map((f) => [f.id, f.parentId]));
    const below = (member: string, link: string) => {
      for (let f: string | null | undefined = feederOf.get(member); f; f = parent.get(f))
        if (f === link) return true;
      return false;
    };
    for (const f of feeders) {
      if (f.linkCapacityWh === null || f.parentId === null) continue;
      let flow = 0;
      for (const tr of result.trades) {
        if (below(tr.sellerId, f.id)) flow += tr.energyWh;
        if (below(tr.buyerId, f.id)) flow -= tr.energyWh;
      }
      expect(Math.abs(flow), f.id).toBeLessThanOrEqual(f.linkCapacityWh);
    }
  }
  return result;
}

/** The algorithm, written as plainly as possible, on objects. */
function reference(orders: OrderInput[], fee: number) {
  const micro = (o: OrderInput) => Math.round(Number(o.price) * 1e6);
  const buys = orders.filter((o) => o.side === 'buy').map((o) => ({ o, left: o.energyWh }));
  const sells = orders.filter((o) => o.side === 'sell').map((o) => ({ o, left: o.energyWh }));
  buys.sort((a, b) => micro(b.o) - micro(a.o));
  sells.sort((a, b) => micro(a.o) - micro(b.o));
  const trades: [string, string, number][] = [];
  let i = 0;
  let j = 0;
  while (i < buys.length && j < sells.length) {
    const b = buys[i]!;
    const s = sells[j]!;
    if (micro(b.o) < micro(s.o) + fee) break;
    const e = Math.min(b.left, s.left);
    trades.push([b.o.id, s.o.id, e]);
    b.left -= e;
    s.left -= e;
    if (b.left === 0) i++;
    if (s.left === 0) j++;
  }
  const last = trades.at(-1);
  const price = last
    ? (micro(orders.find((o) => o.id === last[0])!) -
        fee +
        micro(orders.find((o) => o.id === last[1])!)) /
      2
    : null;
  return { trades, price };
}

describe('clearing invariants on random books', () => {
  it('plain books: energy, limits, tariffs, money; same trades and price as the reference', () => {
    fc.assert(
      fc.property(scenarioArb(false, false), (s) => {
        const result = checkInvariants(s);
        const { orders } = run(s);
        const accepted = orders.filter((o) => !result.rejected.some((r) => r.orderId === o.id));
        const ref = reference(accepted, s.tariffs.gridFeeMicroPerKWh);
        expect(result.trades.map((t) => [t.buyOrderId, t.sellOrderId, t.energyWh])).toEqual(
          ref.trades,
        );
        if (s.mechanism === 'pay-as-clear') {
          const p = result.clearingPriceMicroPerKWh;
          if (ref.price === null) expect(p).toBeNull();
          else expect(Math.abs((p as number) - ref.price)).toBeLessThanOrEqual(0.5);
          for (const t of result.trades) expect(t.priceMicroPerKWh).toBe(p);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('books with requirements', () => {
    fc.assert(
      fc.property(scenarioArb(true, false), (s) => void checkInvariants(s)),
      { numRuns: 300 },
    );
  });

  it('books on a feeder network: no link over capacity', () => {
    fc.assert(
      fc.property(scenarioArb(true, true), (s) => void checkInvariants(s)),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(scenarioArb(false, true), (s) => void checkInvariants(s)),
      { numRuns: 300 },
    );
  });
});
