import { describe, expect, it } from 'vitest';
import { validateOrders } from '../../../core/market/validate-orders';
import { buy, clear, sell, TARIFFS } from './support';

describe('validateOrders', () => {
  it('rejects each bad order with its reason and keeps the valid ones', () => {
    const orders = [
      buy('ok-buy', 'alice', 1000, 0.2),
      sell('ok-sell', 'bob', 1000, '0.1'),
      buy('ok-buy', 'carol', 1000, 0.2), // duplicate id
      { ...buy('side', 'carol', 1000, 0.2), side: 'hold' },
      buy('who', 'mallory', 1000, 0.2),
      buy('frac', 'carol', 1000.5, 0.2),
      buy('zero', 'carol', 0, 0.2),
      buy('neg-e', 'carol', -5, 0.2),
      buy('nan-e', 'carol', NaN, 0.2),
      buy('huge-e', 'carol', 2e9, 0.2),
      buy('nan', 'carol', 1000, NaN),
      buy('nan-text', 'carol', 1000, 'NaN'),
      buy('inf', 'carol', 1000, Infinity),
      buy('inf-text', 'carol', 1000, '-Infinity'),
      buy('neg', 'carol', 1000, -0.1),
      buy('text', 'carol', 1000, 'ten cents'),
      buy('precise', 'carol', 1000, '0.1234567'),
      buy('precise-number', 'carol', 1000, 0.1234567),
      buy('low', 'carol', 1000, 0.079999),
      buy('high', 'carol', 1000, '0.300001'),
      buy('far', 'carol', 1000, '1e30'),
      sell('flip', 'alice', 500, 0.1), // alice already buys
      buy('ok-2', 'alice', 500, '0.3'),
    ];
    const members = new Set(['alice', 'bob', 'carol']);
    const book = validateOrders(orders, TARIFFS, members);
    expect(book.accepted.map((o) => [o.id, o.priceMicroPerKWh])).toEqual([
      ['ok-buy', 200_000],
      ['ok-sell', 100_000],
      ['ok-2', 300_000],
    ]);
    expect(book.rejected.map((r) => [r.orderId, r.reason])).toEqual([
      ['ok-buy', 'duplicate_id'],
      ['side', 'unknown_side'],
      ['who', 'unknown_member'],
      ['frac', 'energy_not_integer'],
      ['zero', 'energy_not_positive'],
      ['neg-e', 'energy_not_positive'],
      ['nan-e', 'energy_not_integer'],
      ['huge-e', 'energy_too_large'],
      ['nan', 'price_not_a_number'],
      ['nan-text', 'price_not_a_number'],
      ['inf', 'price_not_finite'],
      ['inf-text', 'price_not_finite'],
      ['neg', 'price_negative'],
      ['text', 'price_not_a_number'],
      ['precise', 'price_too_precise'],
      ['precise-number', 'price_too_precise'],
      ['low', 'price_below_feed_in'],
      ['high', 'price_above_retail'],
      ['far', 'price_above_retail'],
      ['flip', 'opposite_side'],
    ]);
  });

  it('lets the first valid order fix the side; an invalid one does not', () => {
    const book = validateOrders(
      [buy('bad', 'alice', 0, 0.2), sell('s', 'alice', 100, 0.1), buy('b', 'alice', 100, 0.2)],
      TARIFFS,
    );
    expect(book.accepted.map((o) => o.id)).toEqual(['s']);
    expect(book.rejected).toEqual([
      { orderId: 'bad', reason: 'energy_not_positive' },
      { orderId: 'b', reason: 'opposite_side' },
    ]);
  });

  it('accepts any member without a member list, and defaults the energy types', () => {
    const book = validateOrders([buy('b', 'x', 1, 0.1), sell('s', 'y', 1, 0.1)], TARIFFS);
    expect(book.accepted.map((o) => o.energyType)).toEqual(['any', 'unspecified']);
  });

  it('reports rejected orders in the clearing while the valid ones still clear', () => {
    const r = clear([
      buy('b', 'alice', 1000, 0.25),
      sell('s', 'bob', 1000, 0.1),
      sell('x', 'alice', 10, 0.1),
    ]);
    expect(r.trades).toHaveLength(1);
    expect(r.rejected).toEqual([{ orderId: 'x', reason: 'opposite_side' }]);
  });
});
