import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveBalances, lowBalances } from '../../../core/ledger/accounts';
import { verifyLedger } from '../../../core/ledger/ledger-verify';
import { useTempDirs } from '../../support/temp-dir';
import { openFixture, settlement, topUp } from './ledger-fixture';

const tempDir = useTempDirs('mg-ledger-accounts-');

describe('member accounts', () => {
  it('balances re-derived from the entries equal the running balances the ledger stored', () => {
    const f = openFixture(tempDir());
    const member = fc.constantFrom('alice', 'bob', 'carol', 'dave');
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('top-up' as const),
        member,
        amount: fc.integer({ min: 1, max: 1_000_000 }),
      }),
      fc.record({
        kind: fc.constant('settlement' as const),
        member,
        amount: fc.integer({ min: -1_000_000, max: 1_000_000 }),
      }),
      fc.record({ kind: fc.constant('seal' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        for (const o of ops) {
          if (o.kind === 'seal') f.ledger.seal('interval');
          else {
            const input =
              o.kind === 'top-up' ? topUp(o.member, o.amount) : settlement(o.member, o.amount);
            expect(f.ledger.append(input).ok).toBe(true);
          }
        }
        const all = f.ledger.entriesAfter(0, 1_000_000).map((s) => s.entry);
        const derived = deriveBalances(all);
        expect(f.ledger.balances()).toEqual(
          new Map([...derived].sort(([a], [b]) => a.localeCompare(b))),
        );
        for (const [id, balance] of derived) expect(f.ledger.balanceOf(id)).toBe(balance);
        const verified = verifyLedger(f.db, f.publicKey);
        expect(verified.ok && verified.value.members).toBe(derived.size);
      }),
      { numRuns: 25 },
    );
    f.close();
  });

  it('lists prepaid members below the warning threshold, lowest first', () => {
    const members = [
      { id: 'alice', prepaid: true },
      { id: 'bob', prepaid: true },
      { id: 'carol', prepaid: false },
      { id: 'dave', prepaid: true },
    ];
    const balances = new Map([
      ['alice', 120],
      ['bob', -40],
      ['carol', -1000],
    ]);
    expect(lowBalances(members, balances, 500)).toEqual([
      { memberId: 'bob', balanceMinor: -40, thresholdMinor: 500 },
      { memberId: 'dave', balanceMinor: 0, thresholdMinor: 500 },
      { memberId: 'alice', balanceMinor: 120, thresholdMinor: 500 },
    ]);
  });
});
