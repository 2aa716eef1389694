// What verification reports: counts when the ledger is intact, else the first problem.
import type { LedgerHead } from './ledger-repository';

export type VerifyCode =
  | 'hash_mismatch'
  | 'broken_link'
  | 'bad_signature'
  | 'unknown_key'
  | 'missing_entry'
  | 'inserted'
  | 'missing_block'
  | 'balance_mismatch'
  | 'merkle_mismatch'
  | 'reordered'
  | 'column_mismatch'
  | 'malformed'
  | 'witness_mismatch';

export interface LedgerProblem {
  code: VerifyCode;
  message: string;
  /** Height of the block where the problem is (or whose entries hold it). */
  block?: number;
  /** Sequence number of the entry where the problem is. */
  entry?: number;
}

export interface VerifyCounts {
  blocks: number;
  entries: number;
  sealedEntries: number;
  pendingEntries: number;
  /** Members with money entries, and their balances re-derived from the amounts. */
  members: number;
  memberSignatures: number;
  head: LedgerHead;
  /** Last entry hash: note it (with `entries`) to detect a truncated tail later. */
  entryHash: string;
}

/**
 * What an earlier look at the ledger saw (GET /api/ledger/head, a statement, a previous
 * verify). Hash chains cannot show that the newest entries or blocks were cut off; a
 * witness kept outside the data directory can.
 */
export interface Witness {
  entries?: number;
  entryHash?: string;
  height?: number;
  blockHash?: string;
}
