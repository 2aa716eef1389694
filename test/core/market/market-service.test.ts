// The market as the station runs it, driven through a day of synthetic telemetry in
// milliseconds: agents' orders from forecasts, clearing at gate closure over a real SQLite
// file, settlement against the meters' counters at the interval boundaries, and operator
// orders checked at once with the market's own reasons.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { marketMigrations, MarketRepository } from '../../../core/market/market-repository';
import type { GridState } from '../../../core/market/island-rules';
import { MarketService } from '../../../core/market/market-service';
import type { Snapshot } from '../../../core/points/snapshot';
import type { Site } from '../../../core/site/site-types';
import { applyMigrations } from '../../../core/storage/migrations';
import type { SqlDatabase } from '../../../core/storage/sql-port';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import { stationMarketRules } from '../../../electron/station/market-rules';
import { useTempDirs } from '../../support/temp-dir';
import { smallSite } from '../site/site-fixture';

const tempDir = useTempDirs('mg-market-service-');
const open: SqlDatabase[] = [];
afterEach(() => open.splice(0).forEach((db) => db.close()));

const T0 = Date.UTC(2026, 5, 21, 10, 0, 0); // a 15-minute boundary
const MIN = 60_000;

/** Two households on the north feeder: h1 with PV exporting, h2 importing. */
function site(): Site {
  const s = smallSite();
  s.members.push({
    id: 'h2',
    name: 'House 2',
    kind: 'household',
    feederId: 'north',
    critical: false,
    prepaid: true,
  });
  s.devices = ['h1', 'h2'].map((memberId) => ({
    id: `meter-${memberId}`,
    name: `Meter ${memberId}`,
    url: `modbus-tcp://127.0.0.1:1502?unit=${memberId === 'h1' ? 1 : 2}`,
    role: 'household-meter' as const,
    memberId,
    pollIntervalMs: 1000,
    enabled: true,
  }));
  return s;
}

/** Constant powers: h1 exports 2 kW (from 3 kW PV), h2 imports 1.2 kW; counters integrate. */
function snapshotAt(tsMs: number): Snapshot {
  const hours = (tsMs - T0 + 60 * MIN) / 3_600_000; // counters started an hour before T0
  const point = (value: number) => ({ value, unit: 'Wh', tsMs, stale: false });
  return {
    tsMs,
    points: {
      'meter-h1.energyImportWh': point(0),
      'meter-h1.energyExportWh': point(Math.round(2000 * hours)),
      'meter-h2.energyImportWh': point(Math.round(1200 * hours)),
      'meter-h2.energyExportWh': point(0),
    },
    devices: {},
    flows: { pvW: 3000, loadW: null, batteryW: null, gridW: null, socPct: null },
    members: [
      { memberId: 'h1', netW: -2000, pvW: 3000 },
      { memberId: 'h2', netW: 1200, pvW: null },
    ],
  };
}

function service(s: Site = site(), gridState?: () => GridState) {
  const db = openSqlite(join(tempDir(), 'station.db'), { synchronous: 'full' });
  open.push(db);
  applyMigrations(db, marketMigrations);
  const events: string[] = [];
  const market = new MarketService({
    repository: new MarketRepository(db),
    site: () => s,
    rules: stationMarketRules,
    ...(gridState ? { gridState } : {}),
    onCleared: (i) => events.push(`cleared ${i.id}`),
    onSettled: (i) => events.push(`settled ${i.id}`),
  });
  return { market, events };
}

/** Feeds 1 s snapshots and ticks from `fromMs` to `toMs` (every 10 s, to stay fast). */
function run(market: MarketService, fromMs: number, toMs: number): void {
  for (let ts = fromMs; ts <= toMs; ts += 10_000) {
    market.onSnapshot(snapshotAt(ts));
    market.tick(ts);
  }
}

describe('market service', () => {
  it('clears at gate closure from the agents forecasts and settles on the meters', () => {
    const { market, events } = service();
    run(market, T0 - 20 * MIN, T0 + 16 * MIN);
    const id = '2026-06-21T10:00Z/15';
    expect(events.indexOf(`cleared ${id}`)).toBeGreaterThanOrEqual(0);
    expect(events.indexOf(`settled ${id}`)).toBeGreaterThan(events.indexOf(`cleared ${id}`));

    const view = market.interval(id)!;
    expect(view.state).toBe('settled');
    // h1 forecasts 2 kW × 15 min = 500 Wh surplus (solar), h2 1.2 kW × 15 min = 300 Wh need.
    const orders = new Map(view.orders.map((o) => [o.input.member, o.input]));
    expect(orders.get('h1')).toMatchObject({ side: 'sell', energyWh: 500, energyType: 'solar' });
    expect(orders.get('h2')).toMatchObject({ side: 'buy', energyWh: 300 });
    expect(view.result?.trades).toHaveLength(1);
    expect(view.result?.trades[0]).toMatchObject({ sellerId: 'h1', buyerId: 'h2', energyWh: 300 });
    // Default limits: ask feed-in + ¼ of (retail − feed-in − fee), bid retail − the same.
    // smallSite: feed-in 8.2, retail 32, fee 2 ct/kWh → quarter 5.45 → ask 13.65, bid 26.55;
    // price ((26.55 − 2) + 13.65) / 2 = 19.1 ct/kWh.
    expect(view.result?.clearingPriceMicroPerKWh).toBe(191_000);

    const h2 = view.positions.find((p) => p.memberId === 'h2')!;
    expect(h2.tradedNetWh).toBe(300);
    expect(h2.meteredNetWh).toBe(300); // 1.2 kW over the 15 minutes, from the counters
    // 300 Wh at 21.1 ct = 6.33 → 6 ct; no deviation.
    expect(h2.settledAmountMinor).toBe(-6);
    const h1 = view.positions.find((p) => p.memberId === 'h1')!;
    expect(h1.meteredNetWh).toBe(-500);
    // Sold 300 Wh at 19.1 ct (5.73 → 6 ct); 200 Wh long at feed-in 8.2 ct (1.64 → 2 ct).
    expect(h1.settledAmountMinor).toBe(8);
    const settlement = view.settlement as { parties: { amountMinor: number }[] };
    expect(settlement.parties.reduce((sum, p) => sum + p.amountMinor, 0)).toBe(0);
  });

  it('shows the open interval as indicative and takes operator orders with reasons', () => {
    const { market } = service();
    run(market, T0 - 20 * MIN, T0 - 5 * MIN);
    const state = market.state(T0 - 5 * MIN);
    expect(state.open).toMatchObject({
      id: '2026-06-21T10:00Z/15',
      state: 'open',
      indicative: true,
    });
    expect(state.open.result?.trades).toHaveLength(1);
    expect(state.recent.map((r) => r.id)).toEqual(['2026-06-21T09:45Z/15']);

    const refused = market.submitOrder(
      { memberId: 'h2', side: 'buy', energyWh: 100, price: '0.5' },
      T0 - 5 * MIN,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'price_above_retail' } });
    const placed = market.submitOrder(
      { memberId: 'h2', side: 'buy', energyWh: 1000, price: '0.30' },
      T0 - 5 * MIN,
    );
    expect(placed.ok).toBe(true);
    // A member holds one side per interval: a sell after that buy is refused.
    expect(
      market.submitOrder(
        { memberId: 'h2', side: 'sell', energyWh: 100, price: '0.1' },
        T0 - 5 * MIN,
      ),
    ).toMatchObject({ ok: false, error: { code: 'opposite_side' } });
    // The operator's order replaces h2's agent: h2 now wants 1000 Wh, h1 sells its 500.
    const after = market.state(T0 - 5 * MIN + 1);
    expect(after.open.orders.filter((o) => o.input.member === 'h2')).toHaveLength(1);
    expect(after.open.result?.totals.tradedWh).toBe(500);

    expect(market.cancelOrder(placed.ok ? placed.value.id : '', T0 - 4 * MIN).ok).toBe(true);
    expect(market.state(T0 - 4 * MIN).open.result?.totals.tradedWh).toBe(300);
  });

  it('lets members set their agents limits, refusing ones outside the tariffs', () => {
    const { market } = service();
    run(market, T0 - 20 * MIN, T0 - 5 * MIN);
    const base = { autoTrade: true, preferredPartners: [], greenOnly: false };
    const set = market.setPreferences(
      { ...base, memberId: 'h2', minSellPrice: null, maxBuyPrice: '0.25' },
      T0 - 5 * MIN,
    );
    expect(set).toMatchObject({ ok: true, value: { maxBuyPriceMicroPerKWh: 250_000 } });
    const h2 = market.state(T0 - 5 * MIN).open.orders.find((o) => o.input.member === 'h2');
    expect(h2?.input.price).toBe('0.25');
    expect(
      market.setPreferences(
        { ...base, memberId: 'h2', minSellPrice: null, maxBuyPrice: '0.40' },
        T0,
      ),
    ).toMatchObject({ ok: false, error: { code: 'price_above_retail' } });
    expect(
      market.setPreferences(
        { ...base, memberId: 'h1', minSellPrice: null, maxBuyPrice: null, autoTrade: false },
        T0 - 5 * MIN,
      ).ok,
    ).toBe(true);
    const orders = market.state(T0 - 4 * MIN).open.orders;
    expect(orders.some((o) => o.input.member === 'h1')).toBe(false);
    expect(market.preferences().find((p) => p.memberId === 'h1')?.autoTrade).toBe(false);
  });

  it('follows the grid state at once and clears an island interval fair-share by default', () => {
    let grid: GridState = 'grid-connected';
    const { market } = service(site(), () => grid);
    run(market, T0 - 20 * MIN, T0 - 5 * MIN);
    expect(market.state(T0 - 5 * MIN)).toMatchObject({
      rules: 'normal',
      open: { rules: 'normal', island: null },
      // smallSite: feed-in 8.2, retail 32 ct → 20.1 ct; cap 96 ct.
      island: { rule: 'fair-share', basePriceMicroPerKWh: 201_000, capMicroPerKWh: 960_000 },
    });
    grid = 'island';
    // Within the indicative view's cache time, yet already under island rules.
    const open = market.state(T0 - 5 * MIN + 1).open;
    expect(open.rules).toBe('fair-share');
    expect(open.island?.rations).toEqual([
      { memberId: 'h2', side: 'buy', requestedWh: 300, rationWh: 300 },
      { memberId: 'h1', side: 'sell', requestedWh: 500, rationWh: 300 },
    ]);
    run(market, T0 - 5 * MIN, T0 + 16 * MIN);
    const view = market.interval('2026-06-21T10:00Z/15')!;
    expect(view).toMatchObject({ state: 'settled', rules: 'fair-share' });
    expect(view.result?.trades[0]).toMatchObject({ energyWh: 300, priceMicroPerKWh: 201_000 });
    expect(market.state(T0 + 16 * MIN).recent.map((r) => r.rules)).toEqual([
      'fair-share',
      'fair-share',
      'normal',
    ]);
    // h1 sold 300 Wh at 20.1 ct (6.03 → 6) and fed in 200 Wh more, bought by the community
    // fund at the island price (4.02 → 4); h2 paid 300 Wh at 22.1 ct (6.63 → 7).
    const amounts = new Map(view.positions.map((p) => [p.memberId, p.settledAmountMinor]));
    expect(amounts).toEqual(
      new Map([
        ['h1', 10],
        ['h2', -7],
      ]),
    );
  });

  it('waits for meter readings instead of guessing, and clears nothing it missed while off', () => {
    const { market, events } = service();
    // The station starts mid-interval: no reading at 10:00, so 10:00–10:15 cannot settle.
    run(market, T0 + 2 * MIN, T0 + 32 * MIN);
    expect(events).toEqual([
      'cleared 2026-06-21T10:15Z/15',
      'cleared 2026-06-21T10:30Z/15',
      'settled 2026-06-21T10:15Z/15',
    ]);
    // 10:00 was never cleared (its gate closed before the station started).
    expect(market.interval('2026-06-21T10:00Z/15')).toBeNull();
    const stale = snapshotAt(T0 + 45 * MIN);
    stale.points['meter-h2.energyImportWh']!.stale = true;
    market.onSnapshot(stale);
    market.tick(T0 + 46 * MIN);
    const waiting = market.interval('2026-06-21T10:30Z/15')!;
    expect(waiting.state).toBe('cleared');
    expect(waiting.settlementNote).toMatch(/h2|reading/);
  });
});
