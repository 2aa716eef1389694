// Does a stored body say exactly what its row's columns say? For an entry without a
// member signature the canonical body (RFC 8785, members in UTF-16 order) is
//   {"amountMinor":…,"balanceAfterMinor":…,"kind":"…","memberId":…,"memberSig":null,
//    "payload":{…},"prevHash":"…","seq":…,"timeMs":…,"v":1}
// so one forward walk can hold each member against its column, with the payload checked
// canonical in place. true means: the body is canonical JSON and its members equal the
// columns, so JSON.parse would give the columns' values back. false proves nothing; the
// caller then takes the full check (verify-entries.ts).
import { canonicalFlatObjectEnd, integerTextEnd, plainStringTextEnd } from './canonical-scan';
import type { EntryRow } from './ledger-rows';

function literalEnd(text: string, i: number, literal: string): number {
  return i >= 0 && text.startsWith(literal, i) ? i + literal.length : -1;
}

function integerOrNullEnd(text: string, i: number, value: number | null): number {
  return value === null ? literalEnd(text, i, 'null') : integerTextEnd(text, i, value);
}

export function bodyMatchesColumns(row: EntryRow): boolean {
  const b = row.body;
  let i = literalEnd(b, 0, '{"amountMinor":');
  i = integerOrNullEnd(b, i, row.amount_minor);
  i = literalEnd(b, i, ',"balanceAfterMinor":');
  i = integerOrNullEnd(b, i, row.balance_after_minor);
  i = literalEnd(b, i, ',"kind":');
  i = plainStringTextEnd(b, i, row.kind);
  i = literalEnd(b, i, ',"memberId":');
  i = row.member_id === null ? literalEnd(b, i, 'null') : plainStringTextEnd(b, i, row.member_id);
  i = literalEnd(b, i, ',"memberSig":null,"payload":');
  i = i < 0 ? -1 : canonicalFlatObjectEnd(b, i);
  i = literalEnd(b, i, ',"prevHash":');
  i = plainStringTextEnd(b, i, row.prev_hash);
  i = literalEnd(b, i, ',"seq":');
  i = integerTextEnd(b, i, row.seq);
  i = literalEnd(b, i, ',"timeMs":');
  i = integerTextEnd(b, i, row.time_ms);
  i = literalEnd(b, i, ',"v":1}');
  return i === b.length;
}
