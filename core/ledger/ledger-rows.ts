// Row shapes of the ledger tables and their conversion to and from domain values.
import type { SignedBlock } from './block-header';
import type { LedgerEntry, StoredEntry } from './ledger-entry';

export interface EntryRow {
  seq: number;
  hash: string;
  prev_hash: string;
  time_ms: number;
  kind: string;
  member_id: string | null;
  amount_minor: number | null;
  balance_after_minor: number | null;
  body: string;
}

export interface BlockRow {
  height: number;
  hash: string;
  prev_hash: string;
  merkle_root: string;
  time_ms: number;
  first_seq: number;
  entry_count: number;
  signer_key_id: string;
  signature: string;
  header: string;
}

export const ENTRY_COLUMNS =
  'seq, hash, prev_hash, time_ms, kind, member_id, amount_minor, balance_after_minor, body';
export const BLOCK_COLUMNS =
  'height, hash, prev_hash, merkle_root, time_ms, first_seq, entry_count, signer_key_id, signature, header';

export function entryValues(stored: StoredEntry) {
  const e = stored.entry;
  return [
    e.seq,
    stored.hash,
    e.prevHash,
    e.timeMs,
    e.kind,
    e.memberId,
    e.amountMinor,
    e.balanceAfterMinor,
    stored.body,
  ] as const;
}

export function blockValues(block: SignedBlock, headerText: string) {
  const h = block.header;
  return [
    h.height,
    block.hash,
    h.prevHash,
    h.merkleRoot,
    h.timeMs,
    h.firstSeq,
    h.entryCount,
    h.signerKeyId,
    block.signature,
    headerText,
  ] as const;
}

/** Parses a row's body; trusts it only as far as the caller checks it (see verify). */
export function rowToStored(row: EntryRow): StoredEntry {
  return { entry: JSON.parse(row.body) as LedgerEntry, body: row.body, hash: row.hash };
}

export function rowToBlock(row: BlockRow): SignedBlock {
  return {
    header: JSON.parse(row.header) as SignedBlock['header'],
    hash: row.hash,
    signature: row.signature,
  };
}
