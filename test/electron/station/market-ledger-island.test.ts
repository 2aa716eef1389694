// The market through a grid outage, on one real station.db: intervals whose gate closes
// while the grid is lost clear under the island rule (scarcity price here), the switch in
// and out and every island interval's rations go into the ledger as `market-rules`
// entries, island deviations settle with the community fund, and the ledger verifies.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyLedger } from '../../../core/ledger/ledger-verify';
import type { IntervalSettlement } from '../../../core/market/settlement-types';
import type { SqlDatabase } from '../../../core/storage/sql-port';
import { smallSite } from '../../core/site/site-fixture';
import { useTempDirs } from '../../support/temp-dir';
import { marketWithLedger, MIN, T0 } from './market-ledger-fixture';

const tempDir = useTempDirs('mg-market-island-');
const dbs: SqlDatabase[] = [];
afterEach(() => dbs.splice(0).forEach((db) => db.close()));

function station() {
  const site = smallSite();
  site.market.island = { rule: 'scarcity-price' };
  site.members.push({
    id: 'h2',
    name: 'House 2',
    kind: 'household',
    feederId: 'north',
    critical: false,
    prepaid: true,
  });
  // h1 exports 2 kW; coop imports 1.2 kW, h2 1.5 kW: 500 Wh offered, 675 Wh wanted per 15 min.
  const s = marketWithLedger(tempDir(), site, { h1: -2000, coop: 1200, h2: 1500 });
  dbs.push(s.db);
  return s;
}

describe('the market through a grid outage', () => {
  it('clears under island rules, records them in the ledger and settles with the fund', () => {
    const s = station();
    // Grid lost at 09:50, back at 10:20: the gates of 10:00 (09:59) and 10:15 (10:14) close
    // in the island, 10:30's (10:29) grid-connected again.
    s.run(T0 - 20 * MIN, T0 - 10 * MIN - 10_000);
    s.setGrid('island');
    expect(s.market.state(T0 - 10 * MIN).rules).toBe('scarcity-price');
    s.run(T0 - 10 * MIN, T0 + 20 * MIN - 10_000);
    s.setGrid('grid-connected');
    s.run(T0 + 20 * MIN, T0 + 46 * MIN);
    expect(s.log).toEqual([]);

    const rules = s.repository
      .recentIntervals(10)
      .reverse()
      .map((i) => [i.id.slice(11, 16), i.rules, i.previousRules]);
    expect(rules).toEqual([
      ['09:45', 'normal', null],
      ['10:00', 'scarcity-price', 'normal'],
      ['10:15', 'scarcity-price', 'scarcity-price'],
      ['10:30', 'normal', 'scarcity-price'],
      ['10:45', 'normal', 'normal'],
    ]);

    // 500 Wh for 675 wanted: coop and h2 get 250 Wh each; the price 0.201 × 675 / 500.
    const island = s.market.interval('2026-06-21T10:00Z/15')!;
    expect(island.rules).toBe('scarcity-price');
    expect(island.island).toMatchObject({
      priceMicroPerKWh: 271_350,
      supplyWh: 500,
      demandWh: 675,
      tradedWh: 500,
    });
    expect(island.positions.map((p) => [p.memberId, p.requestedWh, p.rationWh])).toEqual([
      ['coop', 300, 250],
      ['h1', 500, 500],
      ['h2', 375, 250],
    ]);
    // Settled against the meters: coop used 50 Wh and h2 125 Wh beyond their rations, from
    // the community fund at 0.27135; nothing with the utility.
    const settlement = s.repository.interval(island.id)!.settlement as IntervalSettlement;
    expect(settlement.members.map((m) => [m.memberId, m.deviationWh])).toEqual([
      ['coop', 50],
      ['h1', 0],
      ['h2', 125],
    ]);
    const parties = new Map(settlement.parties.map((p) => [p.party, p.amountMinor]));
    expect(parties.get('utility')).toBe(0);
    expect(parties.get('community-fund')).toBe(1 + 3); // 1.36 → 1, 3.39 → 3
    expect(settlement.parties.reduce((a, p) => a + p.amountMinor, 0)).toBe(0);

    // The ledger: one market-rules entry per island interval and one for the way back.
    const entries = s.ledger.entriesAfter(0, 1000).map((e) => e.entry);
    const ruleEntries = entries.filter((e) => e.kind === 'market-rules').map((e) => e.payload);
    expect(ruleEntries).toEqual([
      {
        intervalId: '2026-06-21T10:00Z/15',
        intervalStartMs: T0,
        rule: 'scarcity-price',
        previousRule: 'normal',
        priceMicroPerKWh: 271_350,
        supplyWh: 500,
        demandWh: 675,
        rations: [
          { memberId: 'coop', side: 'buy', requestedWh: 300, rationWh: 250 },
          { memberId: 'h2', side: 'buy', requestedWh: 375, rationWh: 250 },
          { memberId: 'h1', side: 'sell', requestedWh: 500, rationWh: 500 },
        ],
      },
      expect.objectContaining({
        intervalId: '2026-06-21T10:15Z/15',
        rule: 'scarcity-price',
        previousRule: 'scarcity-price',
      }),
      expect.objectContaining({
        intervalId: '2026-06-21T10:30Z/15',
        rule: 'normal',
        previousRule: 'scarcity-price',
        rations: [],
      }),
    ]);
    // Trades and settlements of the island interval are recorded as before.
    const trades = entries.filter(
      (e) => e.kind === 'trade' && e.payload.tradeId?.toString().startsWith(island.id),
    );
    expect(trades.map((e) => e.payload.priceMicroPerKWh)).toEqual([271_350, 271_350]);
    expect(entries.filter((e) => e.kind === 'settlement').length).toBeGreaterThanOrEqual(9);

    expect(verifyLedger(s.db, s.key.publicKey).ok).toBe(true);
  });
});
