// Settlement of an island interval: the README's book cleared under fair-share at 0.19,
// deviations settled with the community fund at the island price, nothing with the utility.
import { describe, expect, it } from 'vitest';
import { clearIsland } from '../../../core/market/island-clearing';
import { islandTerms } from '../../../core/market/island-rules';
import { settleInterval, type MeterReading } from '../../../core/market/settlement';
import { validateOrders } from '../../../core/market/validate-orders';
import { buy, sell, TARIFFS } from './support';

const BOOK = validateOrders(
  [
    buy('b1', 'alice', 3000, 0.28),
    sell('s1', 'bob', 2000, 0.1),
    buy('b2', 'carol', 2000, 0.2),
    sell('s2', 'dave', 2500, 0.15),
    sell('s3', 'erin', 1000, 0.19),
    buy('b3', 'frank', 1000, 0.16),
  ],
  TARIFFS,
).accepted;
// 5500 Wh on offer, 6000 wanted: frank 1000 and carol 2000 in full, alice the rest, 2500.
const CLEARING = clearIsland(BOOK, [], TARIFFS, islandTerms(undefined, TARIFFS), 'pay-as-clear');

const METERED: MeterReading[] = [
  { memberId: 'alice', importWh: 3300, exportWh: 200 }, // net 3100, ration 2500: short 600
  { memberId: 'bob', importWh: 0, exportWh: 1800 }, // −1800, sold 2000: short 200
  { memberId: 'carol', importWh: 2000, exportWh: 0 }, // as rationed
  { memberId: 'dave', importWh: 0, exportWh: 2600 }, // sold 2500: long 100
  { memberId: 'erin', importWh: 0, exportWh: 1000 }, // as sold
  { memberId: 'frank', importWh: 1050, exportWh: 0 }, // ration 1000: short 50
];

describe('settlement of an island interval', () => {
  it('settles deviations with the community fund at the island price', () => {
    expect(CLEARING.island?.rations.map((r) => [r.memberId, r.rationWh])).toEqual([
      ['alice', 2500],
      ['carol', 2000],
      ['frank', 1000],
      ['bob', 2000],
      ['dave', 2500],
      ['erin', 1000],
    ]);
    const settled = settleInterval({
      intervalId: 'i1',
      clearing: CLEARING,
      metered: METERED,
      tariffs: TARIFFS,
      // A utility price in the site: not for an island interval.
      imbalance: { shortMicroPerKWh: 500_000, longMicroPerKWh: 10_000 },
    });
    if (!settled.ok) throw new Error(settled.error.message);
    const s = settled.value;
    expect(s.imbalance).toEqual({ shortMicroPerKWh: 190_000, longMicroPerKWh: 190_000 });
    // 0.19 per kWh: alice 600 Wh → 11.4 → 11, bob 200 → 3.8 → 4, dave 100 → 1.9 → 2,
    // frank 50 → 0.95 → 1.
    expect(
      s.lines
        .filter((l) => l.kind.startsWith('imbalance') && l.party !== 'community-fund')
        .map((l) => [l.party, l.counterparty, l.kind, l.energyWh, l.amountMinor]),
    ).toEqual([
      ['alice', 'community-fund', 'imbalance-short', 600, -11],
      ['bob', 'community-fund', 'imbalance-short', 200, -4],
      ['dave', 'community-fund', 'imbalance-long', 100, 2],
      ['frank', 'community-fund', 'imbalance-short', 50, -1],
    ]);
    expect(s.lines.some((l) => l.party === 'utility')).toBe(false);
    const total = new Map(s.parties.map((p) => [p.party, p.amountMinor]));
    expect(total.get('utility')).toBe(0);
    expect(total.get('community-fund')).toBe(11 + 4 + 1 - 2);
    expect(s.parties.reduce((a, p) => a + p.amountMinor, 0)).toBe(0);
  });

  it('waits for the reading of a member that ordered but got no ration', () => {
    const book = validateOrders([buy('b1', 'alice', 500, 0.3)], TARIFFS).accepted;
    const clearing = clearIsland(
      book,
      [],
      TARIFFS,
      islandTerms(undefined, TARIFFS),
      'pay-as-clear',
    );
    const waits = settleInterval({ intervalId: 'i2', clearing, metered: [], tariffs: TARIFFS });
    expect(waits).toMatchObject({
      ok: false,
      error: { code: 'missing_readings', memberIds: ['alice'] },
    });
    const settled = settleInterval({
      intervalId: 'i2',
      clearing,
      metered: [{ memberId: 'alice', importWh: 400, exportWh: 0 }],
      tariffs: TARIFFS,
    });
    // No supply at all: fair-share keeps the island price, 400 Wh × 0.19 = 7.6 → 8.
    expect(settled.ok && settled.value.members[0]).toMatchObject({
      deviationWh: 400,
      amountMinor: -8,
    });
  });
});
