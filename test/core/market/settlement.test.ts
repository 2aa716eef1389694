// Worked examples of settlement (core/market/settlement.ts), computed by hand; the same
// numbers are in the README's market section. Tariffs 0.08 feed-in, 0.30 retail, grid fee
// 0.02 (currency per kWh), money in cents.
import { describe, expect, it } from 'vitest';
import { clearMarket } from '../../../core/market/clear-market';
import type { ClearingResult } from '../../../core/market/clearing-types';
import {
  settleInterval,
  type MeterReading,
  type SettlementInput,
} from '../../../core/market/settlement';
import { buy, clear, sell, tariffs, TARIFFS } from './support';

const BOOK = [
  buy('b1', 'alice', 3000, 0.28),
  sell('s1', 'bob', 2000, 0.1),
  buy('b2', 'carol', 2000, 0.2),
  sell('s2', 'dave', 2500, 0.15),
  sell('s3', 'erin', 1000, 0.19),
  buy('b3', 'frank', 1000, 0.16),
];
// Cleared (clearing.test.ts): price 0.165, buyers pay 0.185 per kWh.
//   b1→s1 2000 Wh: alice pays 37 = bob 33 + fee 4
//   b1→s2 1000 Wh: alice pays 19 = dave 17 + fee 2
//   b2→s2 1500 Wh: carol pays 28 = dave 25 + fee 3
const CLEARING = clear(BOOK);

const METERED: MeterReading[] = [
  { memberId: 'alice', importWh: 3300, exportWh: 200 }, // net 3100, traded 3000: short 100
  { memberId: 'bob', importWh: 0, exportWh: 1800 }, // net −1800, traded −2000: short 200
  { memberId: 'carol', importWh: 2000, exportWh: 0 }, // traded 1500: short 500
  { memberId: 'dave', importWh: 0, exportWh: 2600 }, // traded −2500: long 100
  { memberId: 'erin', importWh: 0, exportWh: 1000 }, // no trade: long 1000
  { memberId: 'frank', importWh: 1050, exportWh: 0 }, // no trade: short 1050
];

const settle = (more: Partial<SettlementInput> = {}, clearing: ClearingResult = CLEARING) => {
  const r = settleInterval({
    intervalId: 'i1',
    clearing,
    metered: METERED,
    tariffs: TARIFFS,
    ...more,
  });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('settleInterval', () => {
  it('settles trades as transfers and deviations with the utility (worked example)', () => {
    const s = settle();
    expect(
      s.members.map((m) => [m.memberId, m.tradedNetWh, m.meteredNetWh, m.deviationWh]),
    ).toEqual([
      ['alice', 3000, 3100, 100],
      ['bob', -2000, -1800, 200],
      ['carol', 1500, 2000, 500],
      ['dave', -2500, -2600, -100],
      ['erin', 0, -1000, -1000],
      ['frank', 0, 1050, 1050],
    ]);
    // Imbalance at retail 0.30 (short) and feed-in 0.08 (long), rounded half up per line:
    // alice 100 Wh → 3, bob 200 → 6, carol 500 → 15, dave 100 → 0.8 → 1, erin 1000 → 8,
    // frank 1050 → 31.5 → 32.
    expect(
      s.lines
        .filter((l) => l.party !== 'utility' && l.kind.startsWith('imbalance'))
        .map((l) => [l.party, l.kind, l.energyWh, l.amountMinor]),
    ).toEqual([
      ['alice', 'imbalance-short', 100, -3],
      ['bob', 'imbalance-short', 200, -6],
      ['carol', 'imbalance-short', 500, -15],
      ['dave', 'imbalance-long', 100, 1],
      ['erin', 'imbalance-long', 1000, 8],
      ['frank', 'imbalance-short', 1050, -32],
    ]);
    // alice −33 − 4 − 17 − 2 − 3; bob +33 − 6; carol −25 − 3 − 15; dave +17 + 25 + 1.
    expect(s.parties).toEqual([
      { party: 'alice', amountMinor: -59 },
      { party: 'bob', amountMinor: 27 },
      { party: 'carol', amountMinor: -43 },
      { party: 'dave', amountMinor: 43 },
      { party: 'erin', amountMinor: 8 },
      { party: 'frank', amountMinor: -32 },
      { party: 'utility', amountMinor: 47 },
      { party: 'network-operator', amountMinor: 9 },
      { party: 'community-fund', amountMinor: 0 },
    ]);
    expect(s.members.map((m) => m.amountMinor)).toEqual([-59, 27, -43, 43, 8, -32]);
    expect(s.lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(0);
  });

  it('writes every transfer twice, once per party', () => {
    const s = settle();
    expect(s.lines.filter((l) => l.tradeRef === 'i1#0')).toEqual([
      {
        party: 'alice',
        counterparty: 'bob',
        kind: 'local-buy',
        energyWh: 2000,
        amountMinor: -33,
        memberId: 'alice',
        tradeRef: 'i1#0',
      },
      {
        party: 'bob',
        counterparty: 'alice',
        kind: 'local-sell',
        energyWh: 2000,
        amountMinor: 33,
        memberId: 'bob',
        tradeRef: 'i1#0',
      },
      {
        party: 'alice',
        counterparty: 'network-operator',
        kind: 'grid-fee',
        energyWh: 2000,
        amountMinor: -4,
        memberId: 'alice',
        tradeRef: 'i1#0',
      },
      {
        party: 'network-operator',
        counterparty: 'alice',
        kind: 'grid-fee',
        energyWh: 2000,
        amountMinor: 4,
        memberId: 'alice',
        tradeRef: 'i1#0',
      },
    ]);
    expect(s.lines.filter((l) => l.memberId === 'dave' && l.kind === 'imbalance-long')).toEqual([
      {
        party: 'utility',
        counterparty: 'dave',
        kind: 'imbalance-long',
        energyWh: 100,
        amountMinor: -1,
        memberId: 'dave',
      },
      {
        party: 'dave',
        counterparty: 'utility',
        kind: 'imbalance-long',
        energyWh: 100,
        amountMinor: 1,
        memberId: 'dave',
      },
    ]);
  });

  it("matches the clearing's utility amounts when the meters match the orders", () => {
    const exact = settle({
      metered: [
        { memberId: 'alice', importWh: 3000, exportWh: 0 },
        { memberId: 'bob', importWh: 0, exportWh: 2000 },
        { memberId: 'carol', importWh: 2000, exportWh: 0 },
        { memberId: 'dave', importWh: 0, exportWh: 2500 },
        { memberId: 'erin', importWh: 0, exportWh: 1000 },
        { memberId: 'frank', importWh: 1000, exportWh: 0 },
      ],
    });
    // The clearing's unmatched: b2 500 Wh → 15, s3 1000 Wh → 8, b3 1000 Wh → 30.
    expect(exact.parties.find((p) => p.party === 'utility')?.amountMinor).toBe(15 - 8 + 30);
    expect(exact.members.map((m) => m.amountMinor)).toEqual([-56, 33, -43, 42, 8, -30]);
  });

  it('takes configured imbalance prices', () => {
    // Short 0.40, long 0.05: alice 100 Wh → 4; bob 200 → 8; carol 500 → 20;
    // dave 100 → 0.5 → 1; erin 1000 → 5; frank 1050 → 42.
    const s = settle({ imbalance: { shortMicroPerKWh: 400_000, longMicroPerKWh: 50_000 } });
    expect(s.members.map((m) => m.amountMinor)).toEqual([
      -33 - 4 - 17 - 2 - 4,
      33 - 8,
      -25 - 3 - 20,
      17 + 25 + 1,
      5,
      -42,
    ]);
    expect(s.parties.at(-3)).toEqual({ party: 'utility', amountMinor: 4 + 8 + 20 - 1 - 5 + 42 });
  });

  it('pays congestion rent of a split market to the community fund', () => {
    const noFee = tariffs({ feedIn: 0.08, retail: 0.3 });
    const r = clearMarket({
      mechanism: 'pay-as-clear',
      tariffs: noFee,
      orders: [
        sell('n1-sell', 'n1', 3000, 0.1),
        buy('m1-buy', 'm1', 3000, 0.28),
        sell('m2-sell', 'm2', 3000, 0.2),
        buy('n2-buy', 'n2', 1000, 0.12),
      ],
      feeders: [
        { id: 'main', parentId: null, linkCapacityWh: null },
        { id: 'north', parentId: 'main', linkCapacityWh: 1000 },
      ],
      members: [
        { id: 'n1', feederId: 'north' },
        { id: 'n2', feederId: 'north' },
        { id: 'm1', feederId: 'main' },
        { id: 'm2', feederId: 'main' },
      ],
    });
    if (!r.ok) throw new Error(r.error.message);
    // Zones: main 0.24, north 0.11. m1 buys 1000 Wh of n1 across the link: pays 24, n1
    // gets 11, the community fund 13; m1 buys 2000 Wh of m2 at 0.24: 48; n2 buys 1000 Wh
    // of n1 at 0.11: 11. n1 and m2 each export 1000 Wh unmatched: long at 0.08 → 8.
    const s = settleInterval({
      intervalId: 'i2',
      clearing: r.value,
      tariffs: noFee,
      metered: [
        { memberId: 'n1', importWh: 0, exportWh: 3000 },
        { memberId: 'n2', importWh: 1000, exportWh: 0 },
        { memberId: 'm1', importWh: 3000, exportWh: 0 },
        { memberId: 'm2', importWh: 0, exportWh: 3000 },
      ],
    });
    if (!s.ok) throw new Error(s.error.message);
    expect(s.value.parties).toEqual([
      { party: 'm1', amountMinor: -72 },
      { party: 'm2', amountMinor: 56 },
      { party: 'n1', amountMinor: 30 },
      { party: 'n2', amountMinor: -11 },
      { party: 'utility', amountMinor: -16 },
      { party: 'network-operator', amountMinor: 0 },
      { party: 'community-fund', amountMinor: 13 },
    ]);
    expect(
      s.value.lines.filter((l) => l.kind === 'congestion').map((l) => [l.party, l.amountMinor]),
    ).toEqual([
      ['m1', -13],
      ['community-fund', 13],
    ]);
  });

  it('waits for missing readings of participants, or assumes them when told', () => {
    const metered = METERED.filter((m) => m.memberId !== 'bob' && m.memberId !== 'frank');
    const r = settleInterval({ intervalId: 'i1', clearing: CLEARING, metered, tariffs: TARIFFS });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      // bob traded; frank's order went unmatched, his import is still the utility's.
      expect(r.error.code).toBe('missing_readings');
      expect(r.error.memberIds).toEqual(['bob', 'frank']);
    }
    const assumed = settle({ metered, assumeTradedWhenMissing: true });
    expect(
      assumed.members
        .filter((m) => m.readingAssumed)
        .map((m) => [m.memberId, m.deviationWh, m.amountMinor]),
    ).toEqual([
      ['bob', 0, 33],
      ['frank', 0, 0],
    ]);
  });

  it('rejects broken readings, clashing ids and bad imbalance prices', () => {
    const code = (more: Partial<SettlementInput>, clearing = CLEARING) => {
      const r = settleInterval({
        intervalId: 'i',
        clearing,
        metered: METERED,
        tariffs: TARIFFS,
        ...more,
      });
      return r.ok ? 'ok' : [r.error.code, r.error.memberIds];
    };
    expect(code({ metered: [...METERED, { memberId: 'bob', importWh: 1, exportWh: 0 }] })).toEqual([
      'duplicate_reading',
      ['bob'],
    ]);
    for (const importWh of [-1, 1.5, Number.NaN, 2e9])
      expect(code({ metered: [{ memberId: 'alice', importWh, exportWh: 0 }] })).toEqual([
        'bad_reading',
        ['alice'],
      ]);
    expect(
      code({ metered: [...METERED, { memberId: 'utility', importWh: 1, exportWh: 0 }] }),
    ).toEqual(['reserved_member_id', ['utility']]);
    expect(code({ imbalance: { shortMicroPerKWh: -1, longMicroPerKWh: 0 } })[0]).toBe(
      'bad_imbalance_price',
    );
    expect(code({ imbalance: { shortMicroPerKWh: 300_000, longMicroPerKWh: 0.5 } })[0]).toBe(
      'bad_imbalance_price',
    );
    expect(code({ metered: [] }, clear([]))).toBe('ok');
  });
});
