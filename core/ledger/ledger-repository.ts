// The ledger on the storage port: appends hash-chained entries (acknowledged only after
// their transaction commits) and seals the pending ones into signed blocks. One writer
// (the station) is expected, but every append reads the chain tip inside its own
// IMMEDIATE transaction, so a second writer cannot fork the chain either.
import { fail, ok, type Result } from '../result';
import { applyMigrations } from '../storage/migrations';
import type { SqlDatabase } from '../storage/sql-port';
import { BLOCK_VERSION, headerBytes, signBlock, type SignedBlock } from './block-header';
import { bodyMatchesColumns } from './entry-frame';
import { checkEntryInput, type CheckedInput } from './entry-schema';
import { ZERO_HASH, keyIdOf, sha256Hex } from './hashing';
import { ledgerMigrations } from './ledger-migrations';
import {
  BLOCK_COLUMNS,
  ENTRY_COLUMNS,
  blockValues,
  entryValues,
  rowToBlock,
  rowToStored,
  type BlockRow,
  type EntryRow,
} from './ledger-rows';
import {
  ENTRY_VERSION,
  encodeEntry,
  memberSignedBody,
  type LedgerEntry,
  type StoredEntry,
} from './ledger-entry';
import { merkleRoot } from './merkle';
import { publicKeyFromRaw, verifyEd25519, type LedgerSigner } from './signing';

/** What GET /api/ledger/head answers: the last block and all acknowledged entries. */
export interface LedgerHead {
  /** Height of the last sealed block; -1 before genesis. */
  height: number;
  /** Hash of that block; 64 zeros before genesis. */
  hash: string;
  /** Acknowledged entries, sealed or pending. */
  entries: number;
}

export interface LedgerTip {
  /** Sequence number and hash of the last acknowledged entry (0 and zeros when empty). */
  seq: number;
  hash: string;
  /** Entries after the last block, not yet sealed. */
  pending: number;
}

export interface AppendProblem {
  code:
    | 'invalid_entry'
    | 'unknown_member_key'
    | 'bad_member_signature'
    | 'balance_overflow'
    | 'no_signer';
  message: string;
  path?: string;
  /** Index in the batch of the input that was refused. */
  index?: number;
}

export interface SealProblem {
  code: 'no_signer' | 'pending_tampered';
  message: string;
  entry?: number;
}

export interface LedgerOptions {
  /** The station's signing key; without it the ledger can be read and verified only. */
  signer?: LedgerSigner;
  nowMs?: () => number;
}

/** Applies the ledger migrations and, with a signer, writes the genesis block if none. */
export function openLedger(db: SqlDatabase, options: LedgerOptions = {}): Ledger {
  applyMigrations(db, ledgerMigrations);
  const ledger = new Ledger(db, options);
  if (options.signer) ledger.ensureGenesis();
  return ledger;
}

class Refused extends Error {
  constructor(readonly problem: AppendProblem) {
    super(problem.message);
  }
}

function memberKeyProblem(input: CheckedInput): string | null {
  if (input.kind !== 'member-key') return null;
  const raw = Buffer.from(String(input.payload.publicKeyHex), 'hex');
  return keyIdOf(raw) === input.payload.keyId
    ? null
    : 'payload.keyId: not the key id of publicKeyHex (first 16 hex of its SHA-256)';
}

/** Does the body name this row's sequence number and the previous entry's hash? */
function continuesChain(row: EntryRow, prevHash: string | null): boolean {
  if (prevHash === null) return false;
  // Ordinary entries without a JSON.parse: the body is walked against the columns.
  if (row.prev_hash === prevHash && bodyMatchesColumns(row)) return true;
  const entry = JSON.parse(row.body) as LedgerEntry;
  return entry.seq === row.seq && entry.prevHash === prevHash;
}

export class Ledger {
  private readonly signer: LedgerSigner | null;
  private readonly nowMs: () => number;
  private readonly insertEntry;
  private readonly insertBlock;
  private readonly lastEntry;
  private readonly lastBlock;
  private readonly lastBalance;
  private readonly memberKeys;

  constructor(
    private readonly db: SqlDatabase,
    options: LedgerOptions = {},
  ) {
    this.signer = options.signer ?? null;
    this.nowMs = options.nowMs ?? Date.now;
    this.insertEntry = db.prepare(
      `INSERT INTO ledger_entries (${ENTRY_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertBlock = db.prepare(
      `INSERT INTO ledger_blocks (${BLOCK_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.lastEntry = db.prepare<{ seq: number; hash: string }>(
      'SELECT seq, hash FROM ledger_entries ORDER BY seq DESC LIMIT 1',
    );
    this.lastBlock = db.prepare<BlockRow>(
      `SELECT ${BLOCK_COLUMNS} FROM ledger_blocks ORDER BY height DESC LIMIT 1`,
    );
    this.lastBalance = db.prepare<{ b: number }>(
      'SELECT balance_after_minor AS b FROM ledger_entries WHERE member_id = ? AND amount_minor IS NOT NULL ORDER BY seq DESC LIMIT 1',
    );
    this.memberKeys = db.prepare<{ body: string }>(
      "SELECT body FROM ledger_entries WHERE member_id = ? AND kind = 'member-key' ORDER BY seq",
    );
  }

  get keyId(): string | null {
    return this.signer?.keyId ?? null;
  }

  /** Appends one entry; returns after its transaction committed (durable with FULL sync). */
  append(input: unknown): Result<StoredEntry, AppendProblem> {
    const result = this.appendBatch([input]);
    return result.ok ? ok(result.value[0]!) : result;
  }

  /** Appends all inputs in one transaction, or none of them. */
  appendBatch(inputs: readonly unknown[]): Result<StoredEntry[], AppendProblem> {
    const checked: CheckedInput[] = [];
    for (const [index, raw] of inputs.entries()) {
      const result = checkEntryInput(raw);
      if (!result.ok) return fail({ ...result.error, index });
      const keyProblem = memberKeyProblem(result.value);
      if (keyProblem) return fail({ code: 'invalid_entry', message: keyProblem, index });
      checked.push(result.value);
    }
    try {
      return ok(this.db.transaction(() => this.insertAll(checked)));
    } catch (error) {
      // Thrown inside the transaction so that nothing of the batch is committed.
      if (error instanceof Refused) return fail(error.problem);
      throw error;
    }
  }

  private insertAll(checked: readonly CheckedInput[]): StoredEntry[] {
    const tip = this.lastEntry.get();
    let seq = tip?.seq ?? 0;
    let prevHash = tip?.hash ?? ZERO_HASH;
    const balances = new Map<string, number>();
    const stored: StoredEntry[] = [];
    for (const [index, input] of checked.entries()) {
      const refused = this.checkMemberSignature(input);
      if (refused) throw new Refused({ ...refused, index });
      let balanceAfterMinor: number | null = null;
      if (input.amountMinor !== null && input.memberId !== null) {
        const before = balances.get(input.memberId) ?? this.balanceOf(input.memberId);
        balanceAfterMinor = before + input.amountMinor;
        if (!Number.isSafeInteger(balanceAfterMinor))
          throw new Refused({
            code: 'balance_overflow',
            message: `balance of ${input.memberId} would leave the exact integer range`,
            index,
          });
        balances.set(input.memberId, balanceAfterMinor);
      }
      seq += 1;
      const entry: LedgerEntry = {
        v: ENTRY_VERSION,
        seq,
        prevHash,
        timeMs: input.timeMs,
        kind: input.kind,
        memberId: input.memberId,
        amountMinor: input.amountMinor,
        balanceAfterMinor,
        payload: input.payload,
        memberSig: input.memberSignature,
      };
      const encoded = encodeEntry(entry);
      this.insertEntry.run(...entryValues(encoded));
      prevHash = encoded.hash;
      stored.push(encoded);
    }
    return stored;
  }

  private checkMemberSignature(input: CheckedInput): Omit<AppendProblem, 'index'> | null {
    const sig = input.memberSignature;
    if (!sig || input.memberId === null) return null;
    const key = this.memberKey(input.memberId, sig.keyId);
    if (!key)
      return {
        code: 'unknown_member_key',
        message: `member ${input.memberId} has no key ${sig.keyId} in the ledger (append a member-key entry first)`,
      };
    const body = Buffer.from(memberSignedBody(input));
    if (!verifyEd25519(publicKeyFromRaw(key), body, Buffer.from(sig.signature, 'base64')))
      return {
        code: 'bad_member_signature',
        message: `signature of ${input.memberId} is not valid`,
      };
    return null;
  }

  private memberKey(memberId: string, keyId: string): Buffer | null {
    for (const { body } of this.memberKeys.all(memberId)) {
      const entry = JSON.parse(body) as LedgerEntry;
      if (entry.payload.keyId === keyId)
        return Buffer.from(String(entry.payload.publicKeyHex), 'hex');
    }
    return null;
  }

  /** Writes the genesis block (height 0, no entries) if the ledger has no block yet. */
  ensureGenesis(): void {
    if (!this.signer) throw new Error('the ledger has no signing key');
    const signer = this.signer;
    this.db.transaction(() => {
      if (this.lastBlock.get()) return;
      this.writeBlock(signer, 0, ZERO_HASH, 1, [], 'genesis');
    });
  }

  /**
   * Seals every pending entry into a signed block (the station calls this once per market
   * interval). Null when nothing is pending. The pending chain is re-checked first, so the
   * station never signs entries someone changed in the file since they were acknowledged.
   */
  seal(reason: string): Result<SignedBlock | null, SealProblem> {
    const signer = this.signer;
    if (!signer) return fail({ code: 'no_signer', message: 'the ledger has no signing key' });
    this.ensureGenesis();
    return this.db.transaction(() => {
      const last = rowToBlock(this.lastBlock.get()!);
      const firstSeq = last.header.firstSeq + last.header.entryCount;
      const rows = this.db
        .prepare<EntryRow>(
          `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE seq >= ? ORDER BY seq`,
        )
        .all(firstSeq);
      if (rows.length === 0) return ok(null);
      let prevHash = firstSeq === 1 ? ZERO_HASH : this.entryHash(firstSeq - 1);
      for (const [i, row] of rows.entries()) {
        if (
          row.seq !== firstSeq + i ||
          !continuesChain(row, prevHash) ||
          sha256Hex(row.body) !== row.hash
        )
          return fail({
            code: 'pending_tampered' as const,
            message: `pending entry ${firstSeq + i} does not continue the chain; run microgrid ledger verify`,
            entry: firstSeq + i,
          });
        prevHash = row.hash;
      }
      const hashes = rows.map((r) => r.hash);
      return ok(
        this.writeBlock(signer, last.header.height + 1, last.hash, firstSeq, hashes, reason),
      );
    });
  }

  private entryHash(seq: number): string | null {
    return (
      this.db.prepare<{ hash: string }>('SELECT hash FROM ledger_entries WHERE seq = ?').get(seq)
        ?.hash ?? null
    );
  }

  private writeBlock(
    signer: LedgerSigner,
    height: number,
    prevHash: string,
    firstSeq: number,
    hashes: readonly string[],
    reason: string,
  ): SignedBlock {
    const block = signBlock(
      {
        v: BLOCK_VERSION,
        height,
        prevHash,
        merkleRoot: merkleRoot(hashes),
        timeMs: this.nowMs(),
        firstSeq,
        entryCount: hashes.length,
        signerKeyId: signer.keyId,
        reason,
      },
      signer,
    );
    this.insertBlock.run(...blockValues(block, headerBytes(block.header)));
    return block;
  }

  head(): LedgerHead {
    const block = this.lastBlock.get();
    return {
      height: block?.height ?? -1,
      hash: block?.hash ?? ZERO_HASH,
      entries: this.lastEntry.get()?.seq ?? 0,
    };
  }

  tip(): LedgerTip {
    const entry = this.lastEntry.get();
    const block = this.lastBlock.get();
    const sealed = block ? block.first_seq + block.entry_count - 1 : 0;
    const seq = entry?.seq ?? 0;
    return { seq, hash: entry?.hash ?? ZERO_HASH, pending: Math.max(0, seq - sealed) };
  }

  /** A member's prepaid balance in minor units: the running balance of their last money entry. */
  balanceOf(memberId: string): number {
    return this.lastBalance.get(memberId)?.b ?? 0;
  }

  /** Every member's balance, summed from the entries' amounts (not from stored balances). */
  balances(): Map<string, number> {
    const rows = this.db
      .prepare<{ member_id: string; total: number }>(
        'SELECT member_id, SUM(amount_minor) AS total FROM ledger_entries WHERE amount_minor IS NOT NULL GROUP BY member_id ORDER BY member_id',
      )
      .all();
    return new Map(rows.map((r) => [r.member_id, r.total]));
  }

  /** Entries with seq > afterSeq, in order, at most `limit` (for paging through the ledger). */
  entriesAfter(afterSeq: number, limit: number): StoredEntry[] {
    return this.db
      .prepare<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE seq > ? ORDER BY seq LIMIT ?`,
      )
      .all(afterSeq, limit)
      .map(rowToStored);
  }

  /** Entries fromSeq ≤ seq < toSeq naming the member, plus trades (filter with concernsMember). */
  memberEntriesInRange(memberId: string, fromSeq: number, toSeq: number): StoredEntry[] {
    return this.db
      .prepare<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE seq >= ? AND seq < ? AND (member_id = ? OR kind = 'trade') ORDER BY seq`,
      )
      .all(fromSeq, toSeq, memberId)
      .map(rowToStored);
  }

  /** First sequence number at or after a time (one past the tip if none). */
  firstSeqFrom(timeMs: number): number {
    const row = this.db
      .prepare<{ seq: number | null }>(
        'SELECT MIN(seq) AS seq FROM ledger_entries WHERE time_ms >= ?',
      )
      .get(timeMs);
    return row?.seq ?? this.tip().seq + 1;
  }

  /** The member's last money entry before sequence number `seq`, if any. */
  lastMoneyEntryBefore(memberId: string, seq: number): StoredEntry | null {
    const row = this.db
      .prepare<EntryRow>(
        `SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE member_id = ? AND amount_minor IS NOT NULL AND seq < ? ORDER BY seq DESC LIMIT 1`,
      )
      .get(memberId, seq);
    return row ? rowToStored(row) : null;
  }

  blocks(fromHeight = 0, limit = 1000): SignedBlock[] {
    return this.db
      .prepare<BlockRow>(
        `SELECT ${BLOCK_COLUMNS} FROM ledger_blocks WHERE height >= ? ORDER BY height LIMIT ?`,
      )
      .all(fromHeight, limit)
      .map(rowToBlock);
  }

  /** The block that holds entry `seq`, or null while it is pending. */
  blockOf(seq: number): SignedBlock | null {
    const row = this.db
      .prepare<BlockRow>(
        `SELECT ${BLOCK_COLUMNS} FROM ledger_blocks WHERE first_seq <= ? AND first_seq + entry_count > ? ORDER BY height DESC LIMIT 1`,
      )
      .get(seq, seq);
    return row ? rowToBlock(row) : null;
  }

  /** Hashes of a block's entries in order, for Merkle proofs. */
  entryHashes(firstSeq: number, count: number): string[] {
    return this.db
      .prepare<{ hash: string }>(
        'SELECT hash FROM ledger_entries WHERE seq >= ? AND seq < ? ORDER BY seq',
      )
      .all(firstSeq, firstSeq + count)
      .map((r) => r.hash);
  }
}
