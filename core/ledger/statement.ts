// A member's statement for a time range, and the proof file that goes with it: every
// listed entry with its Merkle inclusion proof, plus the signed headers of the blocks
// that hold them, so the member can check it with nothing but the station's public key.
// The range is by acknowledgement order: from the first entry stamped at or after `from`
// up to the first stamped at or after `to`.
// Entries still pending (not sealed yet) are listed but cannot be proven: the proof file
// names them under `unproven`, and the statement says so. `ledger statement --seal`
// seals first when the station's key is at hand.
import type { SignedBlock } from './block-header';
import { concernsMember, type LedgerEntry, type StoredEntry } from './ledger-entry';
import type { Ledger } from './ledger-repository';
import { inclusionProofs } from './merkle';

export const PROOF_FORMAT = 'microgrid-ledger-proof/1';

export interface StatementLine {
  seq: number;
  timeMs: number;
  kind: LedgerEntry['kind'];
  entry: LedgerEntry;
  hash: string;
  /** Height of the block that seals it; null while pending. */
  block: number | null;
}

export interface Statement {
  memberId: string;
  fromMs: number;
  toMs: number;
  /** Balance before the first listed entry and after the last, minor units. */
  openingBalanceMinor: number;
  closingBalanceMinor: number;
  lines: StatementLine[];
  pending: number;
}

export interface ProvenEntry {
  entry: LedgerEntry;
  hash: string;
  block: number;
  /** Leaf index in the block: entry.seq − header.firstSeq. */
  index: number;
  /** RFC 9162 audit path, sibling hashes from the leaf up. */
  path: string[];
  /** The member's last money entry before the range: proves the opening balance. */
  opening?: true;
}

export interface ProofFile {
  format: typeof PROOF_FORMAT;
  memberId: string;
  fromMs: number;
  toMs: number;
  createdAtMs: number;
  blocks: SignedBlock[];
  entries: ProvenEntry[];
  /** Listed entries not sealed yet: no proof until the next block. */
  unproven: Array<{ seq: number; hash: string }>;
}

export function buildStatement(
  ledger: Ledger,
  memberId: string,
  fromMs: number,
  toMs: number,
  nowMs: number,
): { statement: Statement; proof: ProofFile } {
  // A contiguous run of sequence numbers, not a filter on timestamps: then the member's
  // money entries in it follow each other and their running balance can be checked.
  const firstSeq = ledger.firstSeqFrom(fromMs);
  const endSeq = ledger.firstSeqFrom(toMs);
  const listed = ledger
    .memberEntriesInRange(memberId, firstSeq, endSeq)
    .filter((s) => concernsMember(s.entry, memberId));
  const opening = ledger.lastMoneyEntryBefore(memberId, firstSeq);
  const openingBalanceMinor = opening?.entry.balanceAfterMinor ?? 0;
  let closingBalanceMinor = openingBalanceMinor;
  for (const s of listed)
    if (s.entry.memberId === memberId && s.entry.balanceAfterMinor !== null)
      closingBalanceMinor = s.entry.balanceAfterMinor;

  const toProve = opening ? [opening, ...listed] : listed;
  const { blocks, proven, unproven } = prove(ledger, toProve);
  if (opening && proven[0]?.entry.seq === opening.entry.seq) proven[0].opening = true;
  const blockOf = new Map(proven.map((p) => [p.entry.seq, p.block]));
  const lines = listed.map((s) => ({
    seq: s.entry.seq,
    timeMs: s.entry.timeMs,
    kind: s.entry.kind,
    entry: s.entry,
    hash: s.hash,
    block: blockOf.get(s.entry.seq) ?? null,
  }));
  return {
    statement: {
      memberId,
      fromMs,
      toMs,
      openingBalanceMinor,
      closingBalanceMinor,
      lines,
      pending: lines.filter((l) => l.block === null).length,
    },
    proof: {
      format: PROOF_FORMAT,
      memberId,
      fromMs,
      toMs,
      createdAtMs: nowMs,
      blocks,
      entries: proven,
      unproven,
    },
  };
}

function prove(
  ledger: Ledger,
  entries: readonly StoredEntry[],
): {
  blocks: SignedBlock[];
  proven: ProvenEntry[];
  unproven: Array<{ seq: number; hash: string }>;
} {
  const byBlock = new Map<number, { block: SignedBlock; items: StoredEntry[] }>();
  const unproven: Array<{ seq: number; hash: string }> = [];
  for (const stored of entries) {
    const block = ledger.blockOf(stored.entry.seq);
    if (!block) {
      unproven.push({ seq: stored.entry.seq, hash: stored.hash });
      continue;
    }
    const group = byBlock.get(block.header.height) ?? { block, items: [] };
    group.items.push(stored);
    byBlock.set(block.header.height, group);
  }
  const proven: ProvenEntry[] = [];
  for (const { block, items } of byBlock.values()) {
    const { firstSeq, entryCount, height } = block.header;
    const hashes = ledger.entryHashes(firstSeq, entryCount);
    const indexes = items.map((s) => s.entry.seq - firstSeq);
    const paths = inclusionProofs(hashes, indexes);
    items.forEach((s, i) =>
      proven.push({
        entry: s.entry,
        hash: s.hash,
        block: height,
        index: indexes[i]!,
        path: paths[i]!,
      }),
    );
  }
  proven.sort((a, b) => a.entry.seq - b.entry.seq);
  const blocks = [...byBlock.values()]
    .map((g) => g.block)
    .sort((a, b) => a.header.height - b.header.height);
  return { blocks, proven, unproven };
}
