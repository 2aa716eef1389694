// The `market-rules` entry (island rules of the market): what it must hold and what it refuses.
import { describe, expect, it } from 'vitest';
import { checkEntryInput } from '../../../core/ledger/entry-schema';

const entry = (payload: Record<string, unknown> = {}, more: Record<string, unknown> = {}) => ({
  kind: 'market-rules',
  timeMs: 1_750_000_000_000,
  payload: {
    intervalId: '2026-06-21T10:00Z/15',
    intervalStartMs: 1_750_500_000_000,
    rule: 'fair-share',
    previousRule: 'normal',
    priceMicroPerKWh: 201_000,
    supplyWh: 500,
    demandWh: 675,
    rations: [
      { memberId: 'coop', side: 'buy', requestedWh: 300, rationWh: 250 },
      { memberId: 'h1', side: 'sell', requestedWh: 500, rationWh: 500 },
    ],
    ...payload,
  },
  ...more,
});

describe('market-rules entries', () => {
  it('accepts an island interval and a switch back to normal without a price', () => {
    expect(checkEntryInput(entry())).toMatchObject({ ok: true, value: { memberId: null } });
    expect(
      checkEntryInput(
        entry({ rule: 'normal', previousRule: 'fair-share', priceMicroPerKWh: null, rations: [] }),
      ).ok,
    ).toBe(true);
  });

  it.each([
    [entry({ rule: 'lottery' }), 'payload.rule'],
    [entry({ priceMicroPerKWh: 0.5 }), 'payload.priceMicroPerKWh'],
    [entry({ supplyWh: -1 }), 'payload.supplyWh'],
    [
      entry({ rations: [{ memberId: 'h1', side: 'buy', requestedWh: 100, rationWh: 101 }] }),
      'payload.rations.0',
    ],
    [entry({ extra: 1 }), 'payload'],
    [entry({}, { memberId: 'h1' }), 'memberId'],
    [entry({}, { amountMinor: 5 }), 'amountMinor'],
  ])('refuses %#: %s', (input, path) => {
    expect(checkEntryInput(input)).toMatchObject({
      ok: false,
      error: { code: 'invalid_entry', path },
    });
  });
});
