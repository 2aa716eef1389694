import { describe, expect, it } from 'vitest';
import type {
  ClearingResult,
  MarketIntervalView,
  MarketState,
} from '../../../renderer/api/contract';
import { formatEnergyWh, formatMicroPrice, formatMoneyMinor } from '../../../renderer/i18n/format';
import {
  countdown,
  explain,
  islandBanner,
  positionRows,
  rationPct,
  stepPoints,
} from '../../../renderer/lib/market-view';

const result = (over: Partial<ClearingResult> = {}): ClearingResult => ({
  mechanism: 'pay-as-clear',
  gridFeeMicroPerKWh: 20_000,
  clearingPriceMicroPerKWh: 165_000,
  trades: [
    {
      buyOrderId: 'b1',
      sellOrderId: 's1',
      buyerId: 'alice',
      sellerId: 'bob',
      energyWh: 2000,
      priceMicroPerKWh: 165_000,
      buyerPriceMicroPerKWh: 185_000,
      pass: 'open',
      buyerPaysMinor: 37,
      sellerReceivesMinor: 33,
      gridFeeMinor: 4,
      congestionMinor: 0,
    },
  ],
  unmatched: [],
  rejected: [],
  zones: [
    {
      id: 0,
      feederIds: ['main'],
      clearingPriceMicroPerKWh: 165_000,
      lastPair: {
        buyOrderId: 'b2',
        sellOrderId: 's2',
        buyPriceMicroPerKWh: 200_000,
        sellPriceMicroPerKWh: 150_000,
      },
      nextBuy: null,
      nextSell: null,
    },
  ],
  bindingLinks: [],
  totals: {
    offeredWh: 2000,
    demandedWh: 2000,
    tradedWh: 2000,
    importWh: 0,
    exportWh: 0,
    buyersPayMinor: 37,
    sellersReceiveMinor: 33,
    gridFeesMinor: 4,
    congestionMinor: 0,
    importCostMinor: 0,
    exportRevenueMinor: 0,
  },
  ...over,
});

const view = (r: ClearingResult | null, demand = 1, supply = 1): MarketIntervalView => ({
  id: 'x',
  startMs: 0,
  endMs: 900_000,
  gateClosureMs: -60_000,
  state: 'cleared',
  mechanism: 'pay-as-clear',
  rules: r?.island?.rule ?? 'normal',
  island: r?.island ?? null,
  indicative: false,
  orders: [],
  result: r,
  curves: {
    demand: Array.from({ length: demand }, (_, i) => ({
      orderId: `b${i}`,
      fromWh: i * 1000,
      toWh: (i + 1) * 1000,
      priceMicroPerKWh: 200_000 - i * 10_000,
    })),
    supply: Array.from({ length: supply }, (_, i) => ({
      orderId: `s${i}`,
      fromWh: i * 1000,
      toWh: (i + 1) * 1000,
      priceMicroPerKWh: 150_000 + i * 10_000,
    })),
    gridFeeMicroPerKWh: 20_000,
  },
  positions: [],
  settlementNote: null,
  settlement: null,
});

describe('market view', () => {
  it('explains the uniform price from the last matched pair', () => {
    expect(explain(view(result()))).toEqual({
      key: 'market.why.clear',
      bid: 200_000,
      ask: 150_000,
      fee: 20_000,
      price: 165_000,
      buyOrderId: 'b2',
      sellOrderId: 's2',
    });
  });

  it('explains no trade, one-sided books, splits and pay-as-bid', () => {
    expect(explain(view(result({ trades: [] })))).toMatchObject({
      key: 'market.why.noTrade',
      bid: 200_000,
      ask: 150_000,
    });
    expect(explain(view(result(), 0, 2))).toEqual({ key: 'market.why.oneSided', side: 'sell' });
    expect(explain(view(result(), 0, 0))).toEqual({ key: 'market.why.noOrders' });
    expect(explain(view(null))).toEqual({ key: 'market.why.noOrders' });
    expect(
      explain(
        view(result({ bindingLinks: [{ feederId: 'north', capacityWh: 1000, flowWh: 1000 }] })),
      ),
    ).toEqual({ key: 'market.why.split', zones: 1, feeders: ['north'] });
    expect(explain(view(result({ mechanism: 'pay-as-bid' })))).toEqual({
      key: 'market.why.payAsBid',
      fee: 20_000,
      trades: 1,
    });
  });

  it('explains an island clearing and words the island banner', () => {
    const island = {
      rule: 'scarcity-price' as const,
      basePriceMicroPerKWh: 201_000,
      capMicroPerKWh: 960_000,
      priceMicroPerKWh: 271_350,
      supplyWh: 500,
      demandWh: 675,
      tradedWh: 500,
      rations: [],
    };
    expect(explain(view(result({ island })))).toEqual({
      key: 'market.why.island',
      supplyWh: 500,
      demandWh: 675,
      price: 271_350,
    });
    const market = {
      rules: 'scarcity-price',
      island: { rule: 'scarcity-price', basePriceMicroPerKWh: 201_000, capMicroPerKWh: 960_000 },
      tariffs: { gridFeeMicroPerKWh: 20_000 },
      open: view(result({ island })),
    } as unknown as MarketState;
    expect(islandBanner(market)).toEqual({
      key: 'market.island.scarcity-price',
      price: 271_350,
      base: 201_000,
      cap: 960_000,
      fee: 20_000,
    });
    // Before any order the banner names the site's island price.
    expect(
      islandBanner({ ...market, rules: 'fair-share', open: view(null) } as MarketState),
    ).toMatchObject({ key: 'market.island.fair-share', price: 201_000 });
    expect(islandBanner({ ...market, rules: 'normal' } as MarketState)).toBeNull();
    expect(rationPct(250, 375)).toBe(66);
    expect(rationPct(0, 0)).toBe(100);
  });

  it('draws steps in kWh and currency, lifted by the fee when asked', () => {
    const steps = view(result(), 2, 0).curves!.demand;
    expect(stepPoints(steps)).toEqual([
      { x: 0, y: 0.2 },
      { x: 1, y: 0.2 },
      { x: 1, y: 0.19 },
      { x: 2, y: 0.19 },
    ]);
    expect(stepPoints(steps.slice(0, 1), 20_000)[0]).toEqual({ x: 0, y: 0.22 });
  });

  it('names members, counts down and formats money, prices and energy', () => {
    const rows = positionRows(
      [
        {
          memberId: 'h1',
          tradedNetWh: 1,
          tradeAmountMinor: 0,
          meteredNetWh: null,
          settledAmountMinor: null,
        },
      ],
      [
        {
          id: 'h1',
          name: 'House 1',
          kind: 'household',
          feederId: 'main',
          critical: false,
          prepaid: true,
        },
      ],
    );
    expect(rows[0]?.name).toBe('House 1');
    expect(countdown(65_400, 0)).toBe('1:06');
    expect(countdown(0, 5_000)).toBe('0:00');
    expect(formatMoneyMinor(-633, 'EUR', 2, 'en')).toBe('-€6.33');
    expect(formatMicroPrice(191_000, 'EUR', 'en')).toBe('€0.191');
    expect(formatMicroPrice(82_000, 'EUR', 'en')).toBe('€0.082');
    expect(formatEnergyWh(1500, 'en')).toBe('1.5 kWh');
  });
});
