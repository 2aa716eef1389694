import { describe, expect, it } from 'vitest';
import { clearMarket } from '../../../core/market/clear-market';
import type { clear } from './support';
import { buy, sell, tariffs, tradeRows } from './support';

const NO_FEE = tariffs({ feedIn: 0.08, retail: 0.3 });
const clearNoFee = (orders: Parameters<typeof clear>[0], more = {}) => {
  const r = clearMarket({ mechanism: 'pay-as-clear', tariffs: NO_FEE, orders, ...more });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('requirement passes', () => {
  it('a solar-only buy trades only solar, in its own pass, and takes the open price', () => {
    const r = clearNoFee([
      sell('wind', 'gus', 1000, 0.1, { energyType: 'wind' }),
      sell('pv', 'sol', 1000, 0.14, { energyType: 'solar' }),
      buy('green', 'gina', 1000, 0.25, { energyType: 'solar' }),
      buy('plain', 'ann', 1000, 0.2),
    ]);
    // Open pass: plain/wind sets (0.20 + 0.10) / 2 = 0.15; green/pv (0.14–0.25) takes it.
    expect(r.trades.map((t) => [t.buyOrderId, t.sellOrderId, t.pass, t.priceMicroPerKWh])).toEqual([
      ['green', 'pv', 'energy-type', 150_000],
      ['plain', 'wind', 'open', 150_000],
    ]);
  });

  it('a solar-only buy stays unmatched rather than take other energy', () => {
    const r = clearNoFee([
      sell('wind', 'gus', 1000, 0.1, { energyType: 'wind' }),
      buy('green', 'gina', 1000, 0.25, { energyType: 'solar', preferredPartners: ['gus'] }),
    ]);
    expect(r.trades).toEqual([]);
    expect(r.unmatched.map((u) => u.orderId)).toEqual(['wind', 'green']);
  });

  it('preferred partners (named by the buy or by the sell) trade first', () => {
    const byBuyer = clearNoFee([
      sell('cheap', 'gus', 1000, 0.1),
      sell('friend', 'sol', 1000, 0.14),
      buy('ann', 'ann', 1000, 0.2, { preferredPartners: ['sol'] }),
      buy('bea', 'bea', 1000, 0.25),
    ]);
    // Open pass bea/cheap sets (0.25 + 0.10) / 2 = 0.175, inside ann/friend's 0.14–0.20.
    expect(tradeRows(byBuyer)).toEqual([
      ['ann', 'friend', 1000, 175_000],
      ['bea', 'cheap', 1000, 175_000],
    ]);
    const bySeller = clearNoFee([
      sell('cheap', 'gus', 1000, 0.1),
      sell('friend', 'sol', 1000, 0.14, { preferredPartners: ['ann'] }),
      buy('ann', 'ann', 1000, 0.16),
      buy('bea', 'bea', 1000, 0.25),
    ]);
    // 0.175 is above ann's bid of 0.16: that preferred trade is priced at ann's limit.
    expect(tradeRows(bySeller)).toEqual([
      ['ann', 'friend', 1000, 160_000],
      ['bea', 'cheap', 1000, 175_000],
    ]);
    expect(bySeller.trades[0]?.pass).toBe('preferred-partners');
  });
});

describe('network-aware market splitting', () => {
  const feeders = [
    { id: 'main', parentId: null, linkCapacityWh: null },
    { id: 'north', parentId: 'main', linkCapacityWh: 1000 },
  ];
  const members = [
    { id: 'n1', feederId: 'north' },
    { id: 'n2', feederId: 'north' },
    { id: 'm1', feederId: 'main' },
    { id: 'm2', feederId: 'main' },
  ];
  const book = [
    sell('n1-sell', 'n1', 3000, 0.1),
    buy('m1-buy', 'm1', 3000, 0.28),
    sell('m2-sell', 'm2', 3000, 0.2),
    buy('n2-buy', 'n2', 1000, 0.12),
  ];

  it('splits at the binding link, prices each zone, and keeps the link at capacity', () => {
    const r = clearNoFee(book, { feeders, members });
    // Uncongested, m1 would take all 3000 Wh of n1 across north's 1000 Wh link.
    expect(tradeRows(clearNoFee(book))).toEqual([['m1-buy', 'n1-sell', 3000, 190_000]]);
    expect(r.bindingLinks).toEqual([{ feederId: 'north', capacityWh: 1000, flowWh: 1000 }]);
    expect(r.zones.map((z) => [z.feederIds, z.clearingPriceMicroPerKWh])).toEqual([
      [['main'], 240_000], // m1/m2: (0.28 + 0.20) / 2
      [['north'], 110_000], // n2/n1: (0.12 + 0.10) / 2
    ]);
    expect(r.clearingPriceMicroPerKWh).toBeNull();
    expect(
      r.trades.map((t) => [
        t.buyOrderId,
        t.sellOrderId,
        t.energyWh,
        t.priceMicroPerKWh,
        t.buyerPriceMicroPerKWh,
        t.congestionMinor,
      ]),
    ).toEqual([
      ['m1-buy', 'n1-sell', 1000, 110_000, 240_000, 13],
      ['m1-buy', 'm2-sell', 2000, 240_000, 240_000, 0],
      ['n2-buy', 'n1-sell', 1000, 110_000, 110_000, 0],
    ]);
    expect(r.unmatched.map((u) => [u.orderId, u.energyWh])).toEqual([
      ['n1-sell', 1000],
      ['m2-sell', 1000],
    ]);
  });

  it('is the plain clearing when no link binds', () => {
    const wide = feeders.map((f) => (f.id === 'north' ? { ...f, linkCapacityWh: 5000 } : f));
    const r = clearNoFee(book, { feeders: wide, members });
    expect(tradeRows(r)).toEqual(tradeRows(clearNoFee(book)));
    expect(r.bindingLinks).toEqual([]);
    expect(r.zones).toHaveLength(1);
    expect(r.clearingPriceMicroPerKWh).toBe(190_000);
  });

  it('refuses a bad feeder tree and rejects orders of unknown members', () => {
    const cyclic = clearMarket({
      mechanism: 'pay-as-clear',
      tariffs: NO_FEE,
      orders: [],
      members: [],
      feeders: [
        { id: 'a', parentId: 'b', linkCapacityWh: null },
        { id: 'b', parentId: 'a', linkCapacityWh: null },
      ],
    });
    expect(cyclic.ok || cyclic.error.code).toBe('feeder_cycle');
    const r = clearNoFee([buy('x', 'stranger', 10, 0.2)], { feeders, members });
    expect(r.rejected).toEqual([{ orderId: 'x', reason: 'unknown_member' }]);
  });
});
