// One-line descriptions of ledger verification results for the CLI.
import type { LedgerProblem, VerifyCounts } from '../../core/ledger/verify-types';

/** A verification or proof problem: code, where, and what is wrong. */
export function describeProblem(
  p: Pick<LedgerProblem, 'message' | 'block' | 'entry'> & { code: string },
): string {
  const where = [
    p.block === undefined ? null : `block ${p.block}`,
    p.entry === undefined ? null : `entry ${p.entry}`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${p.code}${where ? ` at ${where}` : ''}: ${p.message}`;
}

export function describeCounts(c: VerifyCounts, keyId: string): string {
  return `ledger ok: ${c.blocks} blocks (head ${c.head.height} ${c.head.hash.slice(0, 16)}…), ${c.entries} entries (${c.sealedEntries} sealed, ${c.pendingEntries} pending), ${c.members} member accounts, ${c.memberSignatures} member signatures; station key ${keyId}`;
}
