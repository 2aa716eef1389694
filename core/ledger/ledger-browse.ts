// Read-only views of the ledger for the Ledger page: newest blocks and entries first, with
// filters by kind and member (a trade concerns its buyer and seller, named in its payload).
import type { LedgerBlockView, LedgerEntryView } from '../api/ledger-api';
import type { SqlDatabase, SqlValue } from '../storage/sql-port';
import type { LedgerEntry } from './ledger-entry';
import type { BlockRow, EntryRow } from './ledger-rows';

export function newestBlocks(
  db: SqlDatabase,
  beforeHeight: number | undefined,
  limit: number,
): LedgerBlockView[] {
  return db
    .prepare<BlockRow>(`SELECT * FROM ledger_blocks WHERE height < ? ORDER BY height DESC LIMIT ?`)
    .all(beforeHeight ?? Number.MAX_SAFE_INTEGER, limit)
    .map((r) => {
      const header = JSON.parse(r.header) as { reason?: string };
      return {
        height: r.height,
        hash: r.hash,
        prevHash: r.prev_hash,
        merkleRoot: r.merkle_root,
        timeMs: r.time_ms,
        firstSeq: r.first_seq,
        entryCount: r.entry_count,
        signerKeyId: r.signer_key_id,
        reason: header.reason ?? '',
      };
    });
}

export function newestEntries(
  db: SqlDatabase,
  query: { beforeSeq?: number; limit: number; kind?: string; memberId?: string },
): LedgerEntryView[] {
  const where = ['seq < ?'];
  const params: SqlValue[] = [query.beforeSeq ?? Number.MAX_SAFE_INTEGER];
  if (query.kind) {
    where.push('kind = ?');
    params.push(query.kind);
  }
  if (query.memberId) {
    where.push(
      "(member_id = ? OR (kind = 'trade' AND (json_extract(body, '$.payload.buyerId') = ? OR json_extract(body, '$.payload.sellerId') = ?)))",
    );
    params.push(query.memberId, query.memberId, query.memberId);
  }
  const rows = db
    .prepare<EntryRow>(
      `SELECT seq, hash, prev_hash, time_ms, kind, member_id, amount_minor, balance_after_minor, body
       FROM ledger_entries WHERE ${where.join(' AND ')} ORDER BY seq DESC LIMIT ?`,
    )
    .all(...params, query.limit);
  const sealedUpTo =
    db
      .prepare<{ last: number | null }>(
        'SELECT MAX(first_seq + entry_count - 1) AS last FROM ledger_blocks',
      )
      .get()?.last ?? 0;
  const blockOf = db.prepare<{ height: number }>(
    'SELECT height FROM ledger_blocks WHERE first_seq <= ? AND first_seq + entry_count > ? LIMIT 1',
  );
  return rows.map((r) => {
    const entry = JSON.parse(r.body) as LedgerEntry;
    return {
      seq: r.seq,
      hash: r.hash,
      timeMs: r.time_ms,
      kind: r.kind,
      memberId: r.member_id,
      amountMinor: r.amount_minor,
      balanceAfterMinor: r.balance_after_minor,
      payload: entry.payload,
      block: r.seq <= sealedUpTo ? (blockOf.get(r.seq, r.seq)?.height ?? null) : null,
      memberSigned: entry.memberSig !== null,
    };
  });
}
