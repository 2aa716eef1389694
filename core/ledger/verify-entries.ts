// Entry-by-entry checks of verification: one pass in sequence order keeps the previous
// hash, the derived balances and the member keys registered so far.
//
// Two paths, one verdict. checkFast() accepts an ordinary entry (no member signature,
// not a member key) without parsing it: the body is walked once against the columns and
// its payload checked canonical in place (entry-frame.ts), then sequence, link, balance
// and hash are compared as values. Whatever it cannot accept goes to check(), which
// parses the body, requires it to be canonical and names the first problem. checkFast()
// accepts only what check() accepts, so it changes the speed, never the answer.
import type { KeyObject } from 'node:crypto';
import { canonicalize } from './canonical-json';
import { bodyMatchesColumns } from './entry-frame';
import { ZERO_HASH, sha256Hex } from './hashing';
import { memberSignedBody, type LedgerEntry } from './ledger-entry';
import type { EntryRow } from './ledger-rows';
import { publicKeyFromRaw, verifyEd25519 } from './signing';
import type { LedgerProblem } from './verify-types';

export class EntryChecker {
  /** The sequence number the next row must carry. */
  expectedSeq = 1;
  prevHash = ZERO_HASH;
  readonly balances = new Map<string, number>();
  memberSignatures = 0;
  private readonly memberKeys = new Map<string, { memberId: string; key: KeyObject }>();

  /** Same verdict as check(), without parsing ordinary entries (see the top). */
  checkFast(row: EntryRow, block?: number): LedgerProblem | null {
    return this.accept(row) ? null : this.check(row, block);
  }

  private accept(row: EntryRow): boolean {
    if (row.seq !== this.expectedSeq || row.prev_hash !== this.prevHash) return false;
    // A member key registers a key and a signed entry needs its signature checked.
    if (row.kind === 'member-key' || !bodyMatchesColumns(row)) return false;
    const amount = row.amount_minor;
    const after = row.balance_after_minor;
    let derived: number | null = null;
    if (amount !== null && row.member_id !== null) {
      derived = (this.balances.get(row.member_id) ?? 0) + amount;
      if (after !== derived) return false;
    } else if (after !== null) return false;
    if (sha256Hex(row.body) !== row.hash) return false;
    if (derived !== null) this.balances.set(row.member_id!, derived);
    this.prevHash = row.hash;
    this.expectedSeq += 1;
    return true;
  }

  /** Checks the next row; null when it continues the ledger correctly. */
  check(row: EntryRow, block?: number): LedgerProblem | null {
    const at = { entry: row.seq, ...(block === undefined ? {} : { block }) };
    if (row.seq < this.expectedSeq)
      return {
        code: 'inserted',
        ...at,
        message: `entry row ${row.seq} is not part of the ledger (sequence numbers start at 1)`,
      };
    if (row.seq > this.expectedSeq)
      return {
        code: 'missing_entry',
        entry: this.expectedSeq,
        ...(block === undefined ? {} : { block }),
        message: `entry ${this.expectedSeq} is missing (next stored entry is ${row.seq})`,
      };
    if (sha256Hex(row.body) !== row.hash)
      return {
        code: 'hash_mismatch',
        ...at,
        message: `entry ${row.seq}: content does not match its hash`,
      };
    let entry: LedgerEntry;
    try {
      entry = JSON.parse(row.body) as LedgerEntry;
    } catch {
      return { code: 'malformed', ...at, message: `entry ${row.seq}: body is not JSON` };
    }
    // Only the canonical text is the entry: another spelling (duplicate members, other
    // order, escapes, number forms) could read differently to other JSON parsers.
    if (!isCanonical(entry, row.body))
      return {
        code: 'malformed',
        ...at,
        message: `entry ${row.seq}: body is not canonical JSON (RFC 8785)`,
      };
    if (entry.seq !== row.seq)
      return {
        code: 'reordered',
        ...at,
        message: `entry ${row.seq}: row holds entry ${String(entry.seq)} (rows were moved)`,
      };
    if (entry.prevHash !== this.prevHash)
      return {
        code: 'broken_link',
        ...at,
        message: `entry ${row.seq}: names previous hash ${short(entry.prevHash)} but entry ${row.seq - 1} hashes to ${short(this.prevHash)} (one of them was changed)`,
      };
    const column = columnMismatch(row, entry);
    if (column)
      return {
        code: 'column_mismatch',
        ...at,
        message: `entry ${row.seq}: column ${column} differs from the hashed entry`,
      };
    const balance = this.deriveBalance(entry);
    if (balance)
      return { code: 'balance_mismatch', ...at, message: `entry ${row.seq}: ${balance}` };
    const signature = this.checkMemberSignature(entry);
    if (signature)
      return { code: 'bad_signature', ...at, message: `entry ${row.seq}: ${signature}` };
    this.prevHash = row.hash;
    this.expectedSeq += 1;
    return null;
  }

  private deriveBalance(entry: LedgerEntry): string | null {
    if (entry.amountMinor === null || entry.memberId === null)
      return entry.balanceAfterMinor === null ? null : 'states a balance but moves no money';
    const derived = (this.balances.get(entry.memberId) ?? 0) + entry.amountMinor;
    this.balances.set(entry.memberId, derived);
    return entry.balanceAfterMinor === derived
      ? null
      : `balance of ${entry.memberId} is ${String(entry.balanceAfterMinor)} but the entries sum to ${derived}`;
  }

  private checkMemberSignature(entry: LedgerEntry): string | null {
    if (entry.kind === 'member-key' && entry.memberId !== null) {
      const raw = Buffer.from(String(entry.payload.publicKeyHex), 'hex');
      this.memberKeys.set(String(entry.payload.keyId), {
        memberId: entry.memberId,
        key: publicKeyFromRaw(raw),
      });
    }
    const sig = entry.memberSig;
    if (!sig) return null;
    this.memberSignatures += 1;
    const known = this.memberKeys.get(sig.keyId);
    if (!known || known.memberId !== entry.memberId)
      return `signed with key ${sig.keyId}, which ${String(entry.memberId)} never registered`;
    const body = Buffer.from(memberSignedBody(entry));
    return verifyEd25519(known.key, body, Buffer.from(sig.signature, 'base64'))
      ? null
      : `member signature of ${entry.memberId} is not valid`;
  }
}

function isCanonical(entry: unknown, body: string): boolean {
  try {
    return canonicalize(entry) === body;
  } catch {
    return false;
  }
}

function columnMismatch(row: EntryRow, e: LedgerEntry): string | null {
  if (row.prev_hash !== e.prevHash) return 'prev_hash';
  if (row.time_ms !== e.timeMs) return 'time_ms';
  if (row.kind !== e.kind) return 'kind';
  if (row.member_id !== e.memberId) return 'member_id';
  if (row.amount_minor !== e.amountMinor) return 'amount_minor';
  if (row.balance_after_minor !== e.balanceAfterMinor) return 'balance_after_minor';
  return null;
}

export function short(hash: string): string {
  return `${hash.slice(0, 12)}…`;
}
