// The fast path of verification (entry-frame.ts, canonical-scan.ts) may only accept what
// the full check accepts: a canonical body whose members equal the row's columns.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../../core/ledger/canonical-json';
import { canonicalFlatObjectEnd } from '../../../core/ledger/canonical-scan';
import { bodyMatchesColumns } from '../../../core/ledger/entry-frame';
import type { LedgerEntry } from '../../../core/ledger/ledger-entry';
import type { EntryRow } from '../../../core/ledger/ledger-rows';

const HEX = 'ab'.repeat(32);

function rowOf(entry: LedgerEntry, body = canonicalize(entry)): EntryRow {
  return {
    seq: entry.seq,
    hash: HEX,
    prev_hash: entry.prevHash,
    time_ms: entry.timeMs,
    kind: entry.kind,
    member_id: entry.memberId,
    amount_minor: entry.amountMinor,
    balance_after_minor: entry.balanceAfterMinor,
    body,
  };
}

const entry = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({
  v: 1,
  seq: 7,
  prevHash: HEX,
  timeMs: 1_750_000_000_000,
  kind: 'settlement',
  memberId: 'alice',
  amountMinor: -120,
  balanceAfterMinor: 880,
  payload: { description: 'interval', intervalEndMs: 5, tradedWh: 0, meteredWh: -3 },
  memberSig: null,
  ...over,
});

const scan = (text: string) => canonicalFlatObjectEnd(text, 0);

describe('canonicalFlatObjectEnd', () => {
  it('accepts canonical flat objects and returns the index after them', () => {
    expect(scan('{}')).toBe(2);
    expect(scan('{"a":1,"b":"x","c":null,"d":true,"e":false}')).toBe(43);
    expect(scan('{"a":-12,"b":0,"c":"q\\"\\\\"},"next":1')).toBe(27);
    expect(scan('{"A":1,"a":2,"ab":3,"b":4,"é":5}')).toBe(32);
  });

  it('leaves to the full check what it cannot prove canonical', () => {
    for (const text of [
      '{"b":1,"a":2}', // order
      '{"a":1,"a":2}', // duplicate
      '{ "a":1}', // whitespace
      '{"a":01}',
      '{"a":-0}',
      '{"a":1.5}',
      '{"a":1e3}',
      '{"a":1234567890123456}', // 16 digits: maybe not exact
      '{"a":"x\\ny"}', // other escapes: the full check decides
      '{"a":"\\u0041"}',
      '{"a\\"b":1}',
      '{"a":{"b":1}}', // nested
      '{"a":[1]}',
      '{"a":1',
      '{"a":nul}',
      '[]',
    ])
      expect(scan(text), text).toBe(-1);
  });
});

describe('bodyMatchesColumns', () => {
  it('accepts the canonical body of ordinary entries', () => {
    expect(bodyMatchesColumns(rowOf(entry()))).toBe(true);
    const trade = entry({
      kind: 'trade',
      memberId: null,
      amountMinor: null,
      balanceAfterMinor: null,
    });
    expect(bodyMatchesColumns(rowOf(trade))).toBe(true);
  });

  it('refuses a column that differs from the body, and bodies in other spellings', () => {
    const e = entry();
    const good = rowOf(e);
    const cases: Array<Partial<EntryRow>> = [
      { member_id: 'mallory' },
      { member_id: null },
      { amount_minor: -20 },
      { amount_minor: null },
      { balance_after_minor: 881 },
      { kind: 'fee' },
      { prev_hash: 'cd'.repeat(32) },
      { seq: 8 },
      { time_ms: 1 },
      { body: good.body.replace('"alice"', '"alice" ') },
      {
        body: good.body.replace('{"amountMinor":-120,', '{"amountMinor":-120,"amountMinor":-120,'),
      },
      { body: good.body.replace('"v":1}', '"v":1,"x":1}') },
      { body: JSON.stringify(e) }, // declaration order, not JCS order
      { body: canonicalize({ ...e, memberSig: { keyId: 'k', signature: 's' } }) },
    ];
    for (const change of cases)
      expect(bodyMatchesColumns({ ...good, ...change }), JSON.stringify(change)).toBe(false);
  });

  it('accepts only canonical bodies whose members equal the columns (fast-check)', () => {
    const scalar = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.integer({ min: -1e6, max: 1e6 }),
      fc.boolean(),
      fc.constant(null),
    );
    const payload = fc.dictionary(fc.string({ maxLength: 4 }), scalar, { maxKeys: 4 });
    const spelled = fc.record({
      payload,
      memberId: fc.option(fc.constantFrom('alice', 'b"ob', 'c\\d', 'ö'), { nil: null }),
      amount: fc.option(fc.integer({ min: -500, max: 500 }), { nil: null }),
      // Edits of the canonical text: each may or may not keep it canonical and equal.
      edit: fc.tuple(fc.nat(), fc.constantFrom('', ' ', '"', ',', '0', '}', '\\n', '"a":1,')),
    });
    fc.assert(
      fc.property(spelled, ({ payload, memberId, amount, edit }) => {
        const e = entry({
          payload,
          memberId,
          amountMinor: amount,
          balanceAfterMinor: amount === null || memberId === null ? null : amount,
        });
        const body = canonicalize(e);
        const at = edit[0] % (body.length + 1);
        const edited = body.slice(0, at) + edit[1] + body.slice(at);
        const row = rowOf(e, edited);
        if (!bodyMatchesColumns(row)) return;
        // Accepted: then it is the canonical text of an entry with exactly these columns.
        const parsed = JSON.parse(edited) as LedgerEntry;
        expect(canonicalize(parsed)).toBe(edited);
        expect(rowOf(parsed, edited)).toEqual(row);
        expect(parsed.memberSig).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });
});
