// Invariants of settlement on random books cleared by clearMarket (with and without a
// feeder network, so congestion rent appears) and random metering (fast-check).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearMarket } from '../../../core/market/clear-market';
import type { Mechanism } from '../../../core/market/clearing-types';
import type { OrderInput } from '../../../core/market/order-types';
import { formatScaled } from '../../../core/market/price';
import {
  settleInterval,
  SYSTEM_PARTIES,
  type ImbalancePrices,
  type MeterReading,
  type SettlementLine,
} from '../../../core/market/settlement';
import { tariffsArb } from './arbitraries';

const MEMBERS = 8;

const scenarioArb = fc.record({
  tariffs: tariffsArb,
  mechanism: fc.constantFrom<Mechanism>('pay-as-clear', 'pay-as-bid'),
  orders: fc.array(
    fc.record({
      member: fc.integer({ min: 0, max: MEMBERS - 1 }),
      side: fc.constantFrom('buy', 'sell'),
      energyWh: fc.integer({ min: 1, max: 5000 }),
      pricePermille: fc.integer({ min: 0, max: 1000 }),
    }),
    { maxLength: 30 },
  ),
  /** Capacity of the one link below the root (null: no network). */
  linkWh: fc.option(fc.integer({ min: 0, max: 4000 })),
  meters: fc.array(
    fc.record({
      importWh: fc.integer({ min: 0, max: 8000 }),
      exportWh: fc.integer({ min: 0, max: 8000 }),
    }),
    { minLength: MEMBERS, maxLength: MEMBERS },
  ),
  /** Members with a reading (others only if they took no part). */
  readingMask: fc.array(fc.boolean(), { minLength: MEMBERS, maxLength: MEMBERS }),
  imbalance: fc.option(
    fc.record({
      shortMicroPerKWh: fc.integer({ min: 0, max: 600_000 }),
      longMicroPerKWh: fc.integer({ min: 0, max: 600_000 }),
    }),
    { nil: undefined },
  ),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function clearing(s: Scenario) {
  const t = s.tariffs;
  const orders: OrderInput[] = s.orders.map((o, i) => ({
    id: `o${i}`,
    member: `m${o.member}`,
    side: o.side,
    energyWh: o.energyWh,
    price: formatScaled(
      t.feedInMicroPerKWh +
        Math.floor(((t.retailMicroPerKWh - t.feedInMicroPerKWh) * o.pricePermille) / 1000),
    ),
  }));
  const network =
    s.linkWh === null
      ? {}
      : {
          feeders: [
            { id: 'main', parentId: null, linkCapacityWh: null },
            { id: 'north', parentId: 'main', linkCapacityWh: s.linkWh },
          ],
          members: Array.from({ length: MEMBERS }, (_, m) => ({
            id: `m${m}`,
            feederId: m % 2 ? 'north' : 'main',
          })),
        };
  const r = clearMarket({ mechanism: s.mechanism, tariffs: t, orders, ...network });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Independent of money.ts: exact half-up rounding of Wh × µ/kWh in minor units. */
const halfUp = (energyWh: number, micro: number, digits: number) => {
  const divisor = 10n ** BigInt(9 - digits);
  const product = BigInt(energyWh) * BigInt(micro);
  return Number(product / divisor + ((product % divisor) * 2n >= divisor ? 1n : 0n));
};

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('settlement invariants', () => {
  it('zero-sum, mirrored transfers, energy identity and amounts recomputed per member', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = clearing(s);
        const participants = new Set([
          ...result.trades.flatMap((t) => [t.buyerId, t.sellerId]),
          ...result.unmatched.map((u) => u.memberId),
        ]);
        const metered: MeterReading[] = s.meters
          .map((m, i) => ({ memberId: `m${i}`, ...m }))
          .filter((m, i) => participants.has(m.memberId) || s.readingMask[i]);
        const settled = settleInterval({
          intervalId: 'i',
          clearing: result,
          metered,
          tariffs: s.tariffs,
          imbalance: s.imbalance,
        });
        if (!settled.ok) throw new Error(settled.error.message);
        const { lines, members, parties } = settled.value;
        const imbalance: ImbalancePrices = s.imbalance ?? {
          shortMicroPerKWh: s.tariffs.retailMicroPerKWh,
          longMicroPerKWh: s.tariffs.feedInMicroPerKWh,
        };

        // Zero-sum over all lines and all parties, exactly.
        expect(sum(lines.map((l) => l.amountMinor))).toBe(0);
        expect(sum(parties.map((p) => p.amountMinor))).toBe(0);
        // Every transfer is two lines: same energy, swapped parties, opposite amounts.
        expect(lines.length % 2).toBe(0);
        for (let k = 0; k < lines.length; k += 2) {
          const [a, b] = [lines[k] as SettlementLine, lines[k + 1] as SettlementLine];
          expect([a.party, a.counterparty]).toEqual([b.counterparty, b.party]);
          expect(a.amountMinor + b.amountMinor).toBe(0);
          expect(a.energyWh).toBe(b.energyWh);
          expect(a.amountMinor).toBeLessThanOrEqual(0); // the payer's line comes first
        }
        // The system parties get what the clearing booked.
        const party = (p: string) => parties.find((x) => x.party === p)?.amountMinor;
        expect(party('network-operator')).toBe(result.totals.gridFeesMinor);
        expect(party('community-fund')).toBe(result.totals.congestionMinor);
        if (s.linkWh === null) expect(party('community-fund')).toBe(0);

        const readings = new Map(metered.map((m) => [m.memberId, m]));
        expect(members.map((m) => m.memberId)).toEqual(
          [...new Set([...participants, ...readings.keys()])].sort(),
        );
        for (const m of members) {
          const r = readings.get(m.memberId) as MeterReading;
          const own = lines.filter((l) => l.party === m.memberId);
          // Energy identity: traded + deviation = metered, from the summary and the lines.
          expect(m.meteredNetWh).toBe(r.importWh - r.exportWh);
          expect(m.tradedNetWh + m.deviationWh).toBe(m.meteredNetWh);
          const signed = (l: SettlementLine) =>
            l.kind === 'local-buy' || l.kind === 'imbalance-short'
              ? l.energyWh
              : l.kind === 'local-sell' || l.kind === 'imbalance-long'
                ? -l.energyWh
                : 0;
          expect(sum(own.map(signed))).toBe(m.meteredNetWh);
          expect(m.amountMinor).toBe(sum(own.map((l) => l.amountMinor)));
          // Money recomputed from the trades and the rounding rule.
          const bought = result.trades.filter((t) => t.buyerId === m.memberId);
          const sold = result.trades.filter((t) => t.sellerId === m.memberId);
          const d = m.deviationWh;
          const digits = s.tariffs.minorUnitDigits;
          const expected =
            sum(sold.map((t) => t.sellerReceivesMinor)) -
            sum(bought.map((t) => t.buyerPaysMinor)) -
            (d > 0 ? halfUp(d, imbalance.shortMicroPerKWh, digits) : 0) +
            (d < 0 ? halfUp(-d, imbalance.longMicroPerKWh, digits) : 0);
          expect(m.amountMinor).toBe(expected);
          // Nobody trades with itself; every line names a member.
          for (const l of own) expect(l.counterparty).not.toBe(m.memberId);
        }
        for (const l of lines) {
          expect(l.memberId).toBeDefined();
          expect((SYSTEM_PARTIES as readonly string[]).includes(l.memberId as string)).toBe(false);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('names exactly the participants without a reading, or settles them as traded', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const result = clearing(s);
        const participants = new Set([
          ...result.trades.flatMap((t) => [t.buyerId, t.sellerId]),
          ...result.unmatched.map((u) => u.memberId),
        ]);
        const metered = s.meters
          .map((m, i) => ({ memberId: `m${i}`, ...m }))
          .filter((_, i) => s.readingMask[i]);
        const missing = [...participants].filter((id) => !metered.some((m) => m.memberId === id));
        const input = { intervalId: 'i', clearing: result, metered, tariffs: s.tariffs };
        const waiting = settleInterval(input);
        if (missing.length === 0) expect(waiting.ok).toBe(true);
        else
          expect(waiting.ok || [waiting.error.code, waiting.error.memberIds]).toEqual([
            'missing_readings',
            missing.sort(),
          ]);
        const assumed = settleInterval({ ...input, assumeTradedWhenMissing: true });
        if (!assumed.ok) throw new Error(assumed.error.message);
        expect(sum(assumed.value.lines.map((l) => l.amountMinor))).toBe(0);
        for (const m of assumed.value.members) {
          expect(m.readingAssumed).toBe(missing.includes(m.memberId));
          if (m.readingAssumed) expect(m.deviationWh).toBe(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
