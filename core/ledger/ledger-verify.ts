// Full verification of a ledger in a database: every block header (hash, link, signature,
// entry range), every entry (hash, sequence, link, columns, running balance, member
// signature) and every block's Merkle root, in ledger order, stopping at the first
// problem. It reads the tables only and trusts nothing in them but the keys it is given.
import type { KeyObject } from 'node:crypto';
import { fail, ok, type Result } from '../result';
import type { SqlDatabase } from '../storage/sql-port';
import { checkBlock, type BlockHeader } from './block-header';
import { canonicalize } from './canonical-json';
import { ZERO_HASH, sha256Hex } from './hashing';
import { BLOCK_COLUMNS, ENTRY_COLUMNS, type BlockRow, type EntryRow } from './ledger-rows';
import { MerkleStream } from './merkle-stream';
import { trustedKey, type TrustedKey } from './signing';
import { EntryChecker, short } from './verify-entries';
import type { LedgerProblem, VerifyCounts, Witness } from './verify-types';

export interface VerifyOptions {
  witness?: Witness;
  /**
   * Rows read per query; memory stays bounded on ledgers of millions of entries. Small
   * pages keep the row objects in V8's young generation (5000+ was measurably slower).
   */
  pageSize?: number;
}

export function verifyLedger(
  db: SqlDatabase,
  stationKeys: KeyObject | readonly KeyObject[],
  options: VerifyOptions = {},
): Result<VerifyCounts, LedgerProblem> {
  const keys = (Array.isArray(stationKeys) ? stationKeys : [stationKeys]).map((k: KeyObject) =>
    trustedKey(k),
  );
  const pageSize = options.pageSize ?? 1000;
  const entryPage = db.prepare<EntryRow>(
    `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT ?`,
  );
  const blockPage = db.prepare<BlockRow>(
    `SELECT ${BLOCK_COLUMNS} FROM ledger_blocks WHERE height > ? ORDER BY height LIMIT ?`,
  );
  const entries = pages(
    pageSize,
    (after, n) => entryPage.all(after, n),
    (r) => r.seq,
  );
  const blocks = pages(
    pageSize,
    (after, n) => blockPage.all(after, n),
    (r) => r.height,
  );
  const checker = new EntryChecker();
  const merkle = new MerkleStream();
  const witness = options.witness ?? {};
  let witnessEntryHash: string | null = null;
  const checkEntry = (row: EntryRow, block?: number): LedgerProblem | null => {
    const problem = checker.checkFast(row, block);
    if (!problem && row.seq === witness.entries) witnessEntryHash = row.hash;
    return problem;
  };

  let height = -1;
  let blockHash = ZERO_HASH;
  let witnessBlockHash: string | null = null;
  for (let row = blocks.next(); row; row = blocks.next()) {
    const problem = checkBlockRow(row, height + 1, blockHash, checker.expectedSeq, keys);
    if (problem) return fail(problem);
    const header = JSON.parse(row.header) as BlockHeader;
    for (let i = 0; i < header.entryCount; i++) {
      const entry = entries.next();
      if (!entry)
        return fail({
          code: 'missing_entry',
          block: row.height,
          entry: checker.expectedSeq,
          message: `block ${row.height} seals entry ${checker.expectedSeq}, which is missing`,
        });
      const entryProblem = checkEntry(entry, row.height);
      if (entryProblem) return fail(entryProblem);
      merkle.add(entry.hash);
    }
    if (merkle.root() !== header.merkleRoot)
      return fail({
        code: 'merkle_mismatch',
        block: row.height,
        message: `block ${row.height}: its entries do not give the Merkle root it signed`,
      });
    height = row.height;
    blockHash = row.hash;
    if (height === witness.height) witnessBlockHash = blockHash;
  }
  const sealed = checker.expectedSeq - 1;
  for (let row = entries.next(); row; row = entries.next()) {
    const problem = checkEntry(row);
    if (problem) return fail(problem);
  }
  const total = checker.expectedSeq - 1;
  const seen = witnessProblem(witness, total, witnessEntryHash, height, witnessBlockHash);
  if (seen) return fail(seen);
  return ok({
    blocks: height + 1,
    entries: total,
    sealedEntries: sealed,
    pendingEntries: total - sealed,
    members: checker.balances.size,
    memberSignatures: checker.memberSignatures,
    head: { height, hash: blockHash, entries: total },
    entryHash: checker.prevHash,
  });
}

function checkBlockRow(
  row: BlockRow,
  expectedHeight: number,
  prevHash: string,
  nextSeq: number,
  keys: readonly TrustedKey[],
): LedgerProblem | null {
  const at = { block: row.height };
  if (row.height < expectedHeight)
    return {
      code: 'inserted',
      ...at,
      message: `block row ${row.height} is not part of the ledger (heights start at 0)`,
    };
  if (row.height > expectedHeight)
    return {
      code: 'missing_block',
      block: expectedHeight,
      message: `block ${expectedHeight} is missing (next stored block is ${row.height})`,
    };
  if (sha256Hex(row.header) !== row.hash)
    return {
      code: 'hash_mismatch',
      ...at,
      message: `block ${row.height}: header does not match its hash`,
    };
  let header: BlockHeader;
  try {
    header = JSON.parse(row.header) as BlockHeader;
    if (canonicalize(header) !== row.header) throw new Error('not canonical');
  } catch {
    return {
      code: 'malformed',
      ...at,
      message: `block ${row.height}: header is not canonical JSON`,
    };
  }
  if (header.height !== row.height)
    return {
      code: 'reordered',
      ...at,
      message: `block ${row.height}: row holds block ${String(header.height)} (rows were moved)`,
    };
  if (header.prevHash !== prevHash)
    return {
      code: 'broken_link',
      ...at,
      message: `block ${row.height}: names previous hash ${short(header.prevHash)} but block ${row.height - 1} hashes to ${short(prevHash)}`,
    };
  const column = blockColumnMismatch(row, header);
  if (column)
    return {
      code: 'column_mismatch',
      ...at,
      message: `block ${row.height}: column ${column} differs from the signed header`,
    };
  const check = checkBlock({ header, hash: row.hash, signature: row.signature }, keys);
  if (check === 'unknown_key')
    return {
      code: 'unknown_key',
      ...at,
      message: `block ${row.height}: signed by key ${header.signerKeyId}, not a trusted station key`,
    };
  if (check !== 'ok')
    return {
      code: 'bad_signature',
      ...at,
      message: `block ${row.height}: station signature is not valid`,
    };
  if (header.firstSeq !== nextSeq)
    return {
      code: 'broken_link',
      ...at,
      message: `block ${row.height}: starts at entry ${header.firstSeq}, but the previous block ends before entry ${nextSeq}`,
    };
  return null;
}

function blockColumnMismatch(row: BlockRow, h: BlockHeader): string | null {
  if (row.prev_hash !== h.prevHash) return 'prev_hash';
  if (row.merkle_root !== h.merkleRoot) return 'merkle_root';
  if (row.time_ms !== h.timeMs) return 'time_ms';
  if (row.first_seq !== h.firstSeq) return 'first_seq';
  if (row.entry_count !== h.entryCount) return 'entry_count';
  if (row.signer_key_id !== h.signerKeyId) return 'signer_key_id';
  return null;
}

function witnessProblem(
  w: Witness,
  entries: number,
  entryHash: string | null,
  height: number,
  blockHash: string | null,
): LedgerProblem | null {
  if (w.entries !== undefined && entries < w.entries)
    return {
      code: 'witness_mismatch',
      entry: entries + 1,
      message: `the ledger ends at entry ${entries}, but entry ${w.entries} was seen before (entries were cut off)`,
    };
  if (w.entryHash !== undefined && w.entries !== undefined && entryHash !== w.entryHash)
    return {
      code: 'witness_mismatch',
      entry: w.entries,
      message: `entry ${w.entries} does not have the hash seen before`,
    };
  if (w.height !== undefined && height < w.height)
    return {
      code: 'witness_mismatch',
      block: height + 1,
      message: `the ledger ends at block ${height}, but block ${w.height} was seen before (blocks were cut off)`,
    };
  if (w.blockHash !== undefined && w.height !== undefined && blockHash !== w.blockHash)
    return {
      code: 'witness_mismatch',
      block: w.height,
      message: `block ${w.height} does not have the hash seen before`,
    };
  return null;
}

/** Iterates rows in key order, one page per query. */
function pages<Row>(
  size: number,
  load: (after: number, limit: number) => Row[],
  key: (row: Row) => number,
): { next(): Row | undefined } {
  let buffer: Row[] = [];
  let index = 0;
  let after = Number.MIN_SAFE_INTEGER;
  let done = false;
  return {
    next() {
      if (index >= buffer.length) {
        if (done) return undefined;
        buffer = load(after, size);
        index = 0;
        if (buffer.length < size) done = true;
        if (buffer.length === 0) return undefined;
        after = key(buffer.at(-1)!);
      }
      return buffer[index++];
    },
  };
}
