// Invariants of island clearing on random books (fast-check): energy conserved and never
// more than asked, max-min fair buyer shares, pro-rata sellers, money balanced per trade
// and in total, and the scarcity price within [base, cap].
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { proRata, waterFill } from '../../../core/market/fair-share';
import { clearIsland } from '../../../core/market/island-clearing';
import { amountMinor } from '../../../core/market/money';
import { settleInterval } from '../../../core/market/settlement';
import type { IslandTerms } from '../../../core/market/island-rules';
import type { Order } from '../../../core/market/order-types';
import { tariffsArb } from './arbitraries';

const MEMBERS = 10;

const termsArb = fc
  .record({
    rule: fc.constantFrom<IslandTerms['rule']>('fair-share', 'scarcity-price'),
    base: fc.integer({ min: 0, max: 1_000_000 }),
    headroom: fc.integer({ min: 0, max: 2_000_000 }),
  })
  .map(({ rule, base, headroom }): IslandTerms => ({
    rule,
    basePriceMicroPerKWh: base,
    capMicroPerKWh: base + headroom,
  }));

/** A book where each member keeps to one side (as validation ensures), 1–3 orders each. */
const bookArb = fc
  .array(
    fc.record({
      member: fc.integer({ min: 0, max: MEMBERS - 1 }),
      energyWh: fc.integer({ min: 1, max: 20_000 }),
    }),
    { maxLength: 30 },
  )
  .chain((raw) =>
    fc.array(fc.boolean(), { minLength: MEMBERS, maxLength: MEMBERS }).map((isBuyer): Order[] =>
      raw.map((o, i) => ({
        id: `o${i}`,
        memberId: `m${o.member}`,
        side: isBuyer[o.member] ? 'buy' : 'sell',
        energyWh: o.energyWh,
        priceMicroPerKWh: 0,
        preferredPartners: [],
        energyType: 'any',
      })),
    ),
  );

const scenario = fc.record({ tariffs: tariffsArb, terms: termsArb, orders: bookArb });

function byMember(trades: { buyerId: string; sellerId: string; energyWh: number }[]) {
  const bought = new Map<string, number>();
  const sold = new Map<string, number>();
  for (const t of trades) {
    bought.set(t.buyerId, (bought.get(t.buyerId) ?? 0) + t.energyWh);
    sold.set(t.sellerId, (sold.get(t.sellerId) ?? 0) + t.energyWh);
  }
  return { bought, sold };
}

describe('island clearing properties', () => {
  it('conserves energy, serves no buyer beyond its demand and shares max-min fairly', () => {
    fc.assert(
      fc.property(scenario, ({ tariffs, terms, orders }) => {
        const r = clearIsland(orders, [], tariffs, terms, 'pay-as-clear');
        const island = r.island!;
        const supply = orders.filter((o) => o.side === 'sell').reduce((a, o) => a + o.energyWh, 0);
        const demand = orders.filter((o) => o.side === 'buy').reduce((a, o) => a + o.energyWh, 0);
        expect(island.supplyWh).toBe(supply);
        expect(island.demandWh).toBe(demand);
        const traded = r.trades.reduce((a, t) => a + t.energyWh, 0);
        expect(traded).toBe(Math.min(supply, demand));
        expect(r.unmatched).toEqual([]);
        for (const t of r.trades) {
          expect(Number.isInteger(t.energyWh) && t.energyWh > 0).toBe(true);
          expect(t.buyerId).not.toBe(t.sellerId);
        }
        const { bought, sold } = byMember(r.trades);
        for (const ration of island.rations) {
          const got = (ration.side === 'buy' ? bought : sold).get(ration.memberId) ?? 0;
          expect(ration.rationWh).toBe(got);
          expect(got).toBeLessThanOrEqual(ration.requestedWh);
        }
        // Per order too: no order trades more than its energy.
        const perOrder = new Map<string, number>();
        for (const t of r.trades) {
          perOrder.set(t.buyOrderId, (perOrder.get(t.buyOrderId) ?? 0) + t.energyWh);
          perOrder.set(t.sellOrderId, (perOrder.get(t.sellOrderId) ?? 0) + t.energyWh);
        }
        for (const o of orders) expect(perOrder.get(o.id) ?? 0).toBeLessThanOrEqual(o.energyWh);

        const buyers = island.rations.filter((x) => x.side === 'buy');
        const sellers = island.rations.filter((x) => x.side === 'sell');
        if (supply >= demand) {
          for (const b of buyers) expect(b.rationWh).toBe(b.requestedWh);
        } else {
          for (const s of sellers) expect(s.rationWh).toBe(s.requestedWh);
          // Max-min fair: a buyer left short has at least every other buyer's share − 1 Wh.
          const most = Math.max(...buyers.map((b) => b.rationWh));
          for (const b of buyers)
            if (b.rationWh < b.requestedWh) expect(b.rationWh).toBeGreaterThanOrEqual(most - 1);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('balances money per trade and in total, at one price within [base, cap]', () => {
    fc.assert(
      fc.property(scenario, ({ tariffs, terms, orders }) => {
        const r = clearIsland(orders, [], tariffs, terms, 'pay-as-clear');
        const island = r.island!;
        expect(island.priceMicroPerKWh).toBeGreaterThanOrEqual(terms.basePriceMicroPerKWh);
        expect(island.priceMicroPerKWh).toBeLessThanOrEqual(terms.capMicroPerKWh);
        if (terms.rule === 'fair-share' || island.demandWh <= island.supplyWh)
          expect(island.priceMicroPerKWh).toBe(terms.basePriceMicroPerKWh);
        for (const t of r.trades) {
          expect(t.priceMicroPerKWh).toBe(island.priceMicroPerKWh);
          expect(t.buyerPaysMinor).toBe(t.sellerReceivesMinor + t.gridFeeMinor + t.congestionMinor);
          expect(t.gridFeeMinor).toBeGreaterThanOrEqual(0);
        }
        const totals = r.totals;
        expect(totals.buyersPayMinor).toBe(
          totals.sellersReceiveMinor + totals.gridFeesMinor + totals.congestionMinor,
        );
        expect(totals.importWh + totals.exportWh).toBe(0);
      }),
      { numRuns: 400 },
    );
  });

  it('settles to exactly zero with no utility line, deviations with the fund', () => {
    const meteredArb = fc.array(fc.integer({ min: -30_000, max: 30_000 }), {
      minLength: MEMBERS,
      maxLength: MEMBERS,
    });
    fc.assert(
      fc.property(scenario, meteredArb, ({ tariffs, terms, orders }, nets) => {
        const clearing = clearIsland(orders, [], tariffs, terms, 'pay-as-clear');
        const metered = nets.map((net, i) => ({
          memberId: `m${i}`,
          importWh: Math.max(net, 0),
          exportWh: Math.max(-net, 0),
        }));
        const settled = settleInterval({ intervalId: 'i', clearing, metered, tariffs });
        if (!settled.ok) throw new Error(settled.error.message);
        const s = settled.value;
        expect(s.parties.reduce((a, p) => a + p.amountMinor, 0)).toBe(0);
        expect(s.lines.some((l) => l.party === 'utility' || l.counterparty === 'utility')).toBe(
          false,
        );
        for (const l of s.lines)
          if (l.kind.startsWith('imbalance')) {
            expect([l.party, l.counterparty]).toContain('community-fund');
            const price = clearing.island!.priceMicroPerKWh;
            expect(Math.abs(l.amountMinor)).toBe(
              amountMinor(l.energyWh, price, tariffs.minorUnitDigits),
            );
          }
        for (const m of s.members) expect(m.deviationWh).toBe(m.meteredNetWh - m.tradedNetWh);
      }),
      { numRuns: 300 },
    );
  });

  it('pro rata and water-filling share exactly what there is', () => {
    const weights = fc.array(fc.integer({ min: 0, max: 1e9 }), { maxLength: 20 });
    fc.assert(
      fc.property(weights, fc.double({ min: 0, max: 1, noNaN: true }), (w, f) => {
        const sum = w.reduce((a, x) => a + x, 0);
        const total = Math.floor(sum * f);
        const shares = proRata(w, total);
        expect(shares.reduce((a, x) => a + x, 0)).toBe(total);
        shares.forEach((s, i) => {
          // Within 1 Wh of the exact share, never above the weight.
          const exact = sum === 0 ? 0 : (total * w[i]!) / sum;
          expect(Math.abs(s - exact)).toBeLessThan(1 + 1e-6);
          expect(s).toBeLessThanOrEqual(w[i]!);
        });
        const filled = waterFill(w, total);
        expect(filled.reduce((a, x) => a + x, 0)).toBe(Math.min(total, sum));
        filled.forEach((s, i) => expect(s).toBeLessThanOrEqual(w[i]!));
      }),
      { numRuns: 300 },
    );
  });
});
