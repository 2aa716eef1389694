// An entry as it is hashed and stored. Its canonical JSON (RFC 8785) is the exact text in
// ledger_entries.body; its hash is SHA-256 over those UTF-8 bytes. Each entry names the
// previous entry's hash and its sequence number, so the entries form one chain from the
// first append on, sealed into blocks or not yet.
import { canonicalize } from './canonical-json';
import type { CheckedInput, EntryKind, MemberSignature } from './entry-schema';
import { sha256Hex } from './hashing';

export const ENTRY_VERSION = 1;

export interface LedgerEntry {
  v: typeof ENTRY_VERSION;
  /** 1, 2, 3, … with no gaps: the order the ledger acknowledged the entries in. */
  seq: number;
  /** Hash of entry seq − 1; 64 zeros for the first entry. */
  prevHash: string;
  timeMs: number;
  kind: EntryKind;
  memberId: string | null;
  /** Integer minor units; + credits the member's prepaid account. Null: no money moves. */
  amountMinor: number | null;
  /** The member's balance after this entry, derived by the ledger when it appended. */
  balanceAfterMinor: number | null;
  payload: Record<string, unknown>;
  memberSig: MemberSignature | null;
}

export interface StoredEntry {
  entry: LedgerEntry;
  /** The canonical JSON of `entry`, as hashed. */
  body: string;
  hash: string;
}

/**
 * What a member signs: the entry without what only the ledger knows when it appends
 * (sequence, previous hash, running balance), so a member can sign before submitting.
 */
export function memberSignedBody(
  input: Pick<CheckedInput, 'kind' | 'timeMs' | 'memberId' | 'amountMinor' | 'payload'>,
): string {
  return canonicalize({
    v: ENTRY_VERSION,
    kind: input.kind,
    timeMs: input.timeMs,
    memberId: input.memberId,
    amountMinor: input.amountMinor,
    payload: input.payload,
  });
}

export function encodeEntry(entry: LedgerEntry): StoredEntry {
  const body = canonicalize(entry);
  return { entry, body, hash: sha256Hex(body) };
}

/** Trades concern both parties; other entries the member they name. */
export function concernsMember(entry: LedgerEntry, memberId: string): boolean {
  if (entry.memberId === memberId) return true;
  if (entry.kind !== 'trade') return false;
  return entry.payload.buyerId === memberId || entry.payload.sellerId === memberId;
}
