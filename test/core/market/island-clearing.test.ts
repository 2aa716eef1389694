// Island clearing worked by hand: fair shares of a short supply, pro-rata sellers of a
// surplus, the scarcity price and its cap, and the defaults of the island terms.
import { describe, expect, it } from 'vitest';
import { clearIsland } from '../../../core/market/island-clearing';
import { islandTerms, scarcityPrice, type IslandTerms } from '../../../core/market/island-rules';
import type { Order } from '../../../core/market/order-types';
import { validateOrders } from '../../../core/market/validate-orders';
import { buy, sell, TARIFFS } from './support';

const FAIR: IslandTerms = {
  rule: 'fair-share',
  basePriceMicroPerKWh: 190_000,
  capMicroPerKWh: 900_000,
};
const SCARCE: IslandTerms = { ...FAIR, rule: 'scarcity-price' };

function book(...inputs: Parameters<typeof validateOrders>[0][number][]): Order[] {
  const checked = validateOrders(inputs, TARIFFS);
  expect(checked.rejected).toEqual([]);
  return checked.accepted;
}

describe('island clearing', () => {
  it('gives buyers max-min fair shares of a short supply, whatever their limits', () => {
    // 1500 Wh on offer, 2600 Wh wanted: alice wants 300 (all of it), bob and carol 1100
    // each and share the remaining 1200 equally. Bob's low limit and carol's solar-only
    // requirement do not count in an island.
    const orders = book(
      sell('s1', 'erin', 1000, 0.25),
      sell('s2', 'dave', 500, 0.28),
      buy('b1', 'alice', 300, 0.3),
      buy('b2', 'bob', 1100, 0.09),
      buy('b3', 'carol', 1200, 0.3, { energyType: 'solar' }),
    );
    const r = clearIsland(orders, [], TARIFFS, FAIR, 'pay-as-clear');
    expect(r.island?.rations).toEqual([
      { memberId: 'alice', side: 'buy', requestedWh: 300, rationWh: 300 },
      { memberId: 'bob', side: 'buy', requestedWh: 1100, rationWh: 600 },
      { memberId: 'carol', side: 'buy', requestedWh: 1200, rationWh: 600 },
      { memberId: 'dave', side: 'sell', requestedWh: 500, rationWh: 500 },
      { memberId: 'erin', side: 'sell', requestedWh: 1000, rationWh: 1000 },
    ]);
    // Pairing along the line: erin's 1000 Wh go to alice (300), bob (600), carol (100);
    // dave's 500 Wh to carol.
    expect(r.trades.map((t) => [t.buyerId, t.sellerId, t.energyWh])).toEqual([
      ['alice', 'erin', 300],
      ['bob', 'erin', 600],
      ['carol', 'erin', 100],
      ['carol', 'dave', 500],
    ]);
    // 0.19 to the seller, 0.21 from the buyer: 600 Wh → 11.4 → 11 ct and 12.6 → 13 ct.
    expect(r.trades[1]).toMatchObject({
      sellerReceivesMinor: 11,
      buyerPaysMinor: 13,
      gridFeeMinor: 2,
    });
    expect(r.clearingPriceMicroPerKWh).toBe(190_000);
    expect(r.totals).toMatchObject({ tradedWh: 1500, importWh: 0, exportWh: 0 });
    expect(r.unmatched).toEqual([]);
  });

  it('serves every buy when supply suffices and scales the sellers pro rata', () => {
    // 1000 Wh wanted from 3000 on offer (2000 + 1000): each sells a third, 667 + 333.
    const orders = book(
      sell('s1', 'erin', 2000, 0.1),
      sell('s2', 'dave', 1000, 0.1),
      buy('b1', 'alice', 1000, 0.3),
    );
    const r = clearIsland(orders, [], TARIFFS, FAIR, 'pay-as-clear');
    expect(r.trades.map((t) => [t.sellerId, t.energyWh])).toEqual([
      ['erin', 667],
      ['dave', 333],
    ]);
    expect(r.island).toMatchObject({
      supplyWh: 3000,
      demandWh: 1000,
      tradedWh: 1000,
      priceMicroPerKWh: 190_000,
    });
  });

  it('shares a member s ration over its orders in order, not per order', () => {
    // bob splits 1000 Wh into two orders: he still gets one member's share (400 of 800).
    const orders = book(
      sell('s1', 'erin', 800, 0.1),
      buy('b1', 'bob', 300, 0.3),
      buy('b2', 'bob', 700, 0.3),
      buy('b3', 'alice', 1000, 0.3),
    );
    const r = clearIsland(orders, [], TARIFFS, FAIR, 'pay-as-clear');
    expect(r.trades.map((t) => [t.buyOrderId, t.energyWh])).toEqual([
      ['b1', 300],
      ['b2', 100],
      ['b3', 400],
    ]);
  });

  it('raises the scarcity price with the shortage, up to the cap', () => {
    const orders = book(sell('s1', 'erin', 1000, 0.1), buy('b1', 'alice', 1500, 0.3));
    const r = clearIsland(orders, [], TARIFFS, SCARCE, 'pay-as-clear');
    expect(r.island?.priceMicroPerKWh).toBe(285_000); // 0.19 × 1500 / 1000
    expect(r.trades[0]).toMatchObject({
      energyWh: 1000,
      priceMicroPerKWh: 285_000,
      buyerPaysMinor: 31,
    });
    expect(scarcityPrice(190_000, 900_000, 1000, 6000)).toBe(900_000); // 1.14 capped
    expect(scarcityPrice(190_000, 900_000, 3, 4)).toBe(253_333); // 253 333.3 → half up
    expect(scarcityPrice(190_001, 900_000, 2, 3)).toBe(285_002); // 285 001.5 → 285 002
    expect(scarcityPrice(190_000, 900_000, 0, 10)).toBe(900_000); // nothing on offer
    expect(scarcityPrice(190_000, 900_000, 10, 10)).toBe(190_000);
    // No shortage: the base price, even under the scarcity rule.
    const enough = clearIsland(
      book(sell('s1', 'erin', 1000, 0.1), buy('b1', 'alice', 500, 0.3)),
      [],
      TARIFFS,
      SCARCE,
      'pay-as-clear',
    );
    expect(enough.island?.priceMicroPerKWh).toBe(190_000);
  });

  it('with one side only nothing trades and nothing goes to a utility', () => {
    const r = clearIsland(book(buy('b1', 'alice', 500, 0.3)), [], TARIFFS, SCARCE, 'pay-as-clear');
    expect(r.trades).toEqual([]);
    expect(r.clearingPriceMicroPerKWh).toBeNull();
    expect(r.island).toMatchObject({ supplyWh: 0, demandWh: 500, priceMicroPerKWh: 900_000 });
    expect(r.island?.rations).toEqual([
      { memberId: 'alice', side: 'buy', requestedWh: 500, rationWh: 0 },
    ]);
  });

  it('defaults: fair-share at the midpoint of feed-in and retail, cap 3 × retail', () => {
    // TARIFFS: feed-in 0.08, retail 0.30 → 0.19; cap 0.90.
    expect(islandTerms(undefined, TARIFFS)).toEqual({
      rule: 'fair-share',
      basePriceMicroPerKWh: 190_000,
      capMicroPerKWh: 900_000,
    });
    expect(islandTerms({ rule: 'scarcity-price', priceMicroPerKWh: 1_200_000 }, TARIFFS)).toEqual({
      rule: 'scarcity-price',
      basePriceMicroPerKWh: 1_200_000,
      capMicroPerKWh: 1_200_000,
    });
  });
});
