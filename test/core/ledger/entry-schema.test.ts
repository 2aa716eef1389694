import { describe, expect, it } from 'vitest';
import { checkEntryInput } from '../../../core/ledger/entry-schema';
import { T0, topUp, trade } from './ledger-fixture';

describe('checkEntryInput', () => {
  it('accepts typed entries and fills absent optionals with null', () => {
    expect(checkEntryInput(trade('alice', 'bob'))).toMatchObject({
      ok: true,
      value: { kind: 'trade', memberId: null, amountMinor: null, memberSignature: null },
    });
    expect(checkEntryInput(topUp('alice', 100))).toMatchObject({
      ok: true,
      value: { amountMinor: 100 },
    });
  });

  it('refuses floats and non-finite numbers in money, energy and time, naming the field', () => {
    const cases: Array<[unknown, string]> = [
      [{ ...topUp('a', 100), amountMinor: 1.5 }, 'amountMinor'],
      [{ ...topUp('a', 100), amountMinor: Number.POSITIVE_INFINITY }, 'amountMinor'],
      [{ ...topUp('a', 100), amountMinor: 2 ** 60 }, 'amountMinor'],
      [
        { ...trade('a', 'b'), payload: { ...trade('a', 'b').payload, energyWh: 1200.5 } },
        'payload.energyWh',
      ],
      [
        {
          ...trade('a', 'b'),
          payload: { ...trade('a', 'b').payload, priceMicroPerKWh: Number.NaN },
        },
        'payload.priceMicroPerKWh',
      ],
      [{ ...topUp('a', 100), timeMs: T0 + 0.5 }, 'timeMs'],
    ];
    for (const [input, path] of cases)
      expect(checkEntryInput(input)).toMatchObject({
        ok: false,
        error: { code: 'invalid_entry', path },
      });
  });

  it('enforces which kinds concern a member and move money, and in which direction', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ ...topUp('a', 100), memberId: null }, /needs a memberId/],
      [{ ...topUp('a', 100), amountMinor: -5 }, /must be > 0/],
      [
        {
          kind: 'fee',
          memberId: 'a',
          amountMinor: 5,
          timeMs: T0,
          payload: { feeType: 'grid', description: '' },
        },
        /must be < 0/,
      ],
      [{ ...trade('a', 'b'), amountMinor: 10 }, /moves no money/],
      [{ ...trade('a', 'b'), memberId: 'a' }, /no single member/],
      [
        {
          kind: 'settlement',
          memberId: 'a',
          timeMs: T0,
          payload: {
            intervalStartMs: 0,
            intervalEndMs: 1,
            tradedWh: 0,
            meteredWh: 0,
            description: '',
          },
        },
        /needs amountMinor/,
      ],
      [{ ...topUp('a', 100), payload: { method: 'cash', reference: 'x', extra: 1 } }, /payload/],
      [{ ...topUp('a', 100), kind: 'gift' }, /kind/],
    ];
    for (const [input, message] of bad) {
      const result = checkEntryInput(input);
      expect(result.ok).toBe(false);
      expect(!result.ok && `${result.error.path} ${result.error.message}`).toMatch(message);
    }
  });
});
