// Worked examples of the clearing rules (issue #5 item 4), computed by hand; the same
// numbers are in the README's market section.
import { describe, expect, it } from 'vitest';
import { buy, clear, sell, tariffs, tradeRows } from './support';
import { clearMarket } from '../../../core/market/clear-market';

// Tariffs 0.08 feed-in, 0.30 retail, grid fee 0.02 (currency per kWh), money in cents.
const BOOK = [
  buy('b1', 'alice', 3000, 0.28),
  sell('s1', 'bob', 2000, 0.1),
  buy('b2', 'carol', 2000, 0.2),
  sell('s2', 'dave', 2500, 0.15),
  sell('s3', 'erin', 1000, 0.19),
  buy('b3', 'frank', 1000, 0.16),
];

describe('pay-as-clear', () => {
  it('pairs in merit order and prices every trade at the midpoint of the last pair', () => {
    const r = clear(BOOK);
    // b1 0.28 ≥ s1 0.10 + 0.02: 2000 Wh (s1 filled); b1 ≥ s2 0.15 + 0.02: 1000 Wh (b1
    // filled); b2 0.20 ≥ 0.17: 1500 Wh (s2 filled); b2 0.20 < s3 0.19 + 0.02: stop.
    // Price = ((0.20 − 0.02) + 0.15) / 2 = 0.165; buyers pay 0.185.
    expect(tradeRows(r)).toEqual([
      ['b1', 's1', 2000, 165_000],
      ['b1', 's2', 1000, 165_000],
      ['b2', 's2', 1500, 165_000],
    ]);
    expect(r.clearingPriceMicroPerKWh).toBe(165_000);
    expect(r.trades.map((t) => t.buyerPriceMicroPerKWh)).toEqual([185_000, 185_000, 185_000]);
    // Cents: 2 kWh × 0.185 = 37, × 0.165 = 33; 1 kWh: 18.5 → 19, 16.5 → 17;
    // 1.5 kWh: 27.75 → 28, 24.75 → 25. The fee is the difference: 4, 2, 3.
    expect(r.trades.map((t) => [t.buyerPaysMinor, t.sellerReceivesMinor, t.gridFeeMinor])).toEqual([
      [37, 33, 4],
      [19, 17, 2],
      [28, 25, 3],
    ]);
    expect(
      r.unmatched.map((u) => [u.orderId, u.energyWh, u.utilityPriceMicroPerKWh, u.amountMinor]),
    ).toEqual([
      ['b2', 500, 300_000, 15],
      ['s3', 1000, 80_000, 8],
      ['b3', 1000, 300_000, 30],
    ]);
    expect(r.totals).toMatchObject({
      tradedWh: 4500,
      importWh: 1500,
      exportWh: 1000,
      buyersPayMinor: 84,
      sellersReceiveMinor: 75,
      gridFeesMinor: 9,
      congestionMinor: 0,
    });
    expect(r.zones[0]).toMatchObject({
      lastPair: { buyOrderId: 'b2', sellOrderId: 's2' },
      nextBuy: { orderId: 'b2', priceMicroPerKWh: 200_000, remainingWh: 500 },
      nextSell: { orderId: 's3', priceMicroPerKWh: 190_000, remainingWh: 1000 },
    });
  });

  it('keeps input order among equal prices', () => {
    const r = clear([
      sell('late', 'bob', 1000, 0.12),
      sell('first', 'dave', 1000, 0.1),
      sell('second', 'erin', 1000, 0.1),
      buy('b', 'alice', 1500, 0.2),
      buy('b-same-1', 'carol', 200, 0.15),
      buy('b-same-2', 'frank', 200, 0.15),
    ]);
    expect(tradeRows(r).map((row) => row.slice(0, 3))).toEqual([
      ['b', 'first', 1000],
      ['b', 'second', 500],
      ['b-same-1', 'second', 200],
      ['b-same-2', 'second', 200],
    ]);
  });

  it('moves past both orders when they fill together', () => {
    const r = clear([
      buy('b1', 'a', 1000, 0.25),
      buy('b2', 'c', 1000, 0.24),
      sell('s1', 'b', 1000, 0.1),
      sell('s2', 'd', 1000, 0.11),
    ]);
    expect(tradeRows(r)).toEqual([
      ['b1', 's1', 1000, 165_000],
      ['b2', 's2', 1000, 165_000],
    ]);
  });

  it('does not trade when the grid fee is wider than the spread', () => {
    const wide = tariffs({ feedIn: 0.08, retail: 0.3, gridFee: 0.06 });
    const result = clearMarket({
      mechanism: 'pay-as-clear',
      tariffs: wide,
      orders: [buy('b', 'alice', 1000, 0.2), sell('s', 'bob', 1000, 0.15)],
    });
    expect(result.ok && result.value).toMatchObject({
      clearingPriceMicroPerKWh: null,
      trades: [],
      unmatched: [
        { orderId: 'b', energyWh: 1000 },
        { orderId: 's', energyWh: 1000 },
      ],
    });
    // Exactly at the fee it trades, at the seller's ask: ((0.21 − 0.06) + 0.15) / 2.
    const exact = clearMarket({
      mechanism: 'pay-as-clear',
      tariffs: wide,
      orders: [buy('b', 'alice', 1000, 0.21), sell('s', 'bob', 1000, 0.15)],
    });
    expect(exact.ok && exact.value.clearingPriceMicroPerKWh).toBe(150_000);
  });

  it('rounds a half-unit midpoint to the even micro-unit', () => {
    const noFee = tariffs({ feedIn: 0, retail: 1 });
    const price = (bid: string) => {
      const r = clearMarket({
        mechanism: 'pay-as-clear',
        tariffs: noFee,
        orders: [buy('b', 'a', 1000, bid), sell('s', 'c', 1000, '0.1')],
      });
      return r.ok ? r.value.clearingPriceMicroPerKWh : undefined;
    };
    expect(price('0.200001')).toBe(150_000); // 150000.5 → 150000
    expect(price('0.200003')).toBe(150_002); // 150001.5 → 150002
    expect(price('0.200002')).toBe(150_001);
  });

  it('leaves the clearing price null without orders', () => {
    expect(clear([]).clearingPriceMicroPerKWh).toBeNull();
    expect(clear([buy('b', 'a', 10, 0.2)]).unmatched).toHaveLength(1);
  });
});

describe('pay-as-bid', () => {
  it('pays each seller the bid minus the grid fee', () => {
    const r = clear(BOOK, 'pay-as-bid');
    expect(tradeRows(r)).toEqual([
      ['b1', 's1', 2000, 260_000],
      ['b1', 's2', 1000, 260_000],
      ['b2', 's2', 1500, 180_000],
    ]);
    expect(r.clearingPriceMicroPerKWh).toBeNull();
    expect(r.trades.map((t) => [t.buyerPaysMinor, t.sellerReceivesMinor, t.gridFeeMinor])).toEqual([
      [56, 52, 4],
      [28, 26, 2],
      [30, 27, 3],
    ]);
  });
});
