// The member agent (core/market/member-agent.ts): worked examples with the test tariffs
// 0.08 feed-in, 0.30 retail, 0.02 grid fee (currency per kWh), and invariants.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clearMarket } from '../../../core/market/clear-market';
import {
  agentDecisions,
  agentOrders,
  defaultLimitPrices,
  validatePreferences,
  type AgentInput,
  type MemberPreferences,
} from '../../../core/market/member-agent';
import type { MarketTariffs } from '../../../core/market/order-types';
import { validateOrders } from '../../../core/market/validate-orders';
import { TARIFFS, tariffs } from './support';

const input = (
  members: AgentInput['members'],
  preferences: Record<string, MemberPreferences> = {},
  t: MarketTariffs = TARIFFS,
): AgentInput => ({
  intervalId: '2025-06-01T12:00Z',
  members,
  preferences: new Map(Object.entries(preferences)),
  tariffs: t,
});

describe('default limit prices', () => {
  it('ask feed-in + U/4, bid retail − U/4, U = retail − feed-in − grid fee', () => {
    // U = 0.30 − 0.08 − 0.02 = 0.20; a quarter is 0.05.
    expect(defaultLimitPrices(TARIFFS)).toEqual({
      sellMicroPerKWh: 130_000,
      buyMicroPerKWh: 250_000,
    });
    // U = 0.219997: a quarter 0.05499925 rounds down to 0.054999 on both sides.
    const odd = tariffs({ feedIn: 0.08, retail: 0.3, gridFee: '0.000003' });
    expect(defaultLimitPrices(odd)).toEqual({ sellMicroPerKWh: 134_999, buyMicroPerKWh: 245_001 });
    // A grid fee wider than the spread leaves U = 0: the tariffs themselves.
    const wide = tariffs({ feedIn: 0.08, retail: 0.3, gridFee: 0.25 });
    expect(defaultLimitPrices(wide)).toEqual({ sellMicroPerKWh: 80_000, buyMicroPerKWh: 300_000 });
  });

  it('two default orders trade and split the useful spread evenly', () => {
    const orders = agentOrders(
      input([
        { memberId: 'alice', forecastWh: 1500, solar: false },
        { memberId: 'bob', forecastWh: -1000, solar: true },
      ]),
    );
    expect(orders).toEqual([
      {
        id: '2025-06-01T12:00Z:alice',
        member: 'alice',
        side: 'buy',
        energyWh: 1500,
        price: '0.25',
      },
      {
        id: '2025-06-01T12:00Z:bob',
        member: 'bob',
        side: 'sell',
        energyWh: 1000,
        price: '0.13',
        energyType: 'solar',
      },
    ]);
    const r = clearMarket({ mechanism: 'pay-as-clear', tariffs: TARIFFS, orders });
    if (!r.ok) throw new Error(r.error.message);
    // Price ((0.25 − 0.02) + 0.13) / 2 = 0.18: bob gets 0.10 over feed-in, alice pays
    // 0.20 (with the fee), 0.10 below retail.
    expect(r.value.clearingPriceMicroPerKWh).toBe(180_000);
    expect(r.value.trades[0]).toMatchObject({ energyWh: 1000, buyerPriceMicroPerKWh: 200_000 });
  });
});

describe('agentOrders', () => {
  it('uses the member limits, clamped into the tariffs, and its requirements', () => {
    const orders = agentOrders(
      input(
        [
          { memberId: 'carol', forecastWh: 800, solar: false },
          { memberId: 'dave', forecastWh: -2500, solar: false },
          { memberId: 'erin', forecastWh: 40, solar: false },
        ],
        {
          carol: { maxBuyPriceMicroPerKWh: 220_000, greenOnly: true, preferredPartners: ['dave'] },
          // Saved when retail was higher: clamped to today's 0.30.
          dave: { minSellPriceMicroPerKWh: 350_000, preferredPartners: ['dave', 'carol'] },
          erin: { maxBuyPriceMicroPerKWh: 50_000 },
        },
      ),
    );
    expect(orders.map((o) => [o.member, o.side, o.energyWh, o.price])).toEqual([
      ['carol', 'buy', 800, '0.22'],
      ['dave', 'sell', 2500, '0.3'],
      ['erin', 'buy', 40, '0.08'],
    ]);
    expect(orders[0]).toMatchObject({ energyType: 'solar', preferredPartners: ['dave'] });
    // Not solar: a plain sell; its own id dropped from the partners.
    expect(orders[1]).toMatchObject({ preferredPartners: ['carol'] });
    expect(orders[1]?.energyType).toBeUndefined();
    // greenOnly is about buying: a surplus of a green-only member is offered as it is.
    const green = agentOrders(
      input([{ memberId: 'carol', forecastWh: -500, solar: false }], {
        carol: { greenOnly: true },
      }),
    );
    expect(green[0]?.energyType).toBeUndefined();
  });

  it('sends no order without a forecast, with auto-trade off or below the minimum', () => {
    const decisions = agentDecisions(
      input(
        [
          { memberId: 'a', forecastWh: null, solar: false },
          { memberId: 'b', forecastWh: 5000, solar: false },
          { memberId: 'c', forecastWh: -9, solar: true },
          { memberId: 'd', forecastWh: 0, solar: false },
          { memberId: 'e', forecastWh: 199, solar: false },
          { memberId: 'f', forecastWh: -10, solar: false },
        ],
        { b: { autoTrade: false }, e: { minOrderWh: 200 } },
      ),
    );
    expect(decisions.map((d) => (d.order ? d.order.energyWh : d.reason))).toEqual([
      'no_forecast',
      'auto_trade_off',
      'below_min_order',
      'below_min_order',
      'below_min_order',
      10,
    ]);
  });

  it('every agent order passes validation with its exact price, for any tariffs', () => {
    const tariffArb = fc
      .record({
        feedIn: fc.integer({ min: 0, max: 200_000 }),
        spread: fc.integer({ min: 0, max: 400_000 }),
        fee: fc.integer({ min: 0, max: 100_000 }),
      })
      .map(({ feedIn, spread, fee }): MarketTariffs => ({
        feedInMicroPerKWh: feedIn,
        retailMicroPerKWh: feedIn + spread,
        gridFeeMicroPerKWh: fee,
        minorUnitDigits: 2,
      }));
    const memberArb = fc.record({
      forecastWh: fc.option(fc.integer({ min: -50_000, max: 50_000 })),
      solar: fc.boolean(),
      minSell: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
      maxBuy: fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined }),
      greenOnly: fc.boolean(),
    });
    fc.assert(
      fc.property(tariffArb, fc.array(memberArb, { maxLength: 12 }), (t, ms) => {
        const members = ms.map((m, i) => ({
          memberId: `m${i}`,
          forecastWh: m.forecastWh,
          solar: m.solar,
        }));
        const prefs = Object.fromEntries(
          ms.map((m, i) => [
            `m${i}`,
            {
              minSellPriceMicroPerKWh: m.minSell,
              maxBuyPriceMicroPerKWh: m.maxBuy,
              greenOnly: m.greenOnly,
            },
          ]),
        );
        const orders = agentOrders(input(members, prefs, t));
        const book = validateOrders(orders, t);
        expect(book.rejected).toEqual([]);
        for (const [k, o] of book.accepted.entries()) {
          const m = ms[Number(o.memberId.slice(1))];
          expect(o.priceMicroPerKWh).toBeGreaterThanOrEqual(t.feedInMicroPerKWh);
          expect(o.priceMicroPerKWh).toBeLessThanOrEqual(t.retailMicroPerKWh);
          expect(Number(orders[k]?.price) * 1e6).toBeCloseTo(o.priceMicroPerKWh, 3);
          expect(o.side).toBe((m?.forecastWh ?? 0) > 0 ? 'buy' : 'sell');
          expect(o.energyWh).toBe(Math.abs(m?.forecastWh ?? 0));
          const own = o.side === 'buy' ? m?.maxBuy : m?.minSell;
          if (own !== undefined)
            expect(o.priceMicroPerKWh).toBe(
              Math.min(Math.max(own, t.feedInMicroPerKWh), t.retailMicroPerKWh),
            );
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('validatePreferences', () => {
  const check = (raw: unknown, memberId?: string) => validatePreferences(raw, TARIFFS, memberId);

  it('accepts empty and full preferences', () => {
    expect(check(undefined)).toEqual({ ok: true, value: {} });
    const full = {
      autoTrade: true,
      minSellPriceMicroPerKWh: 120_000,
      maxBuyPriceMicroPerKWh: 250_000,
      preferredPartners: ['bob'],
      greenOnly: true,
      minOrderWh: 50,
    };
    expect(check(full, 'alice')).toEqual({ ok: true, value: full });
    // A minimum sell above the maximum buy is fine: the two never meet in one interval.
    expect(check({ minSellPriceMicroPerKWh: 280_000, maxBuyPriceMicroPerKWh: 90_000 }).ok).toBe(
      true,
    );
  });

  it.each([
    [{ minSellPriceMicroPerKWh: -1 }, 'invalid_preferences', 'minSellPriceMicroPerKWh'],
    [{ maxBuyPriceMicroPerKWh: 150_000.5 }, 'invalid_preferences', 'maxBuyPriceMicroPerKWh'],
    [{ minOrderWh: 0 }, 'invalid_preferences', 'minOrderWh'],
    [{ minOrderWh: 2.5 }, 'invalid_preferences', 'minOrderWh'],
    [{ autoTrade: 'yes' }, 'invalid_preferences', 'autoTrade'],
    [{ preferredPartners: [''] }, 'invalid_preferences', 'preferredPartners.0'],
    [{ minSellPrice: 100_000 }, 'invalid_preferences', ''],
    [{ minSellPriceMicroPerKWh: 300_001 }, 'price_above_retail', 'minSellPriceMicroPerKWh'],
    [{ maxBuyPriceMicroPerKWh: 310_000 }, 'price_above_retail', 'maxBuyPriceMicroPerKWh'],
    [{ maxBuyPriceMicroPerKWh: 79_999 }, 'price_below_feed_in', 'maxBuyPriceMicroPerKWh'],
    [{ preferredPartners: ['bob', 'alice'] }, 'self_partner', 'preferredPartners'],
  ])('rejects %j with %s', (raw, code, path) => {
    const r = check(raw, 'alice');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe(code);
      expect(r.error.path).toBe(path);
      expect(r.error.message.length).toBeGreaterThan(0);
    }
  });
});
