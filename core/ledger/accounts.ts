// Prepaid member accounts, derived from ledger entries: no balance is stored apart from
// the running balance each money entry carries, and that one is checked by verification.
import type { LedgerEntry } from './ledger-entry';

/** Sums the amounts per member, in integer minor units (+ credit, − debit). */
export function deriveBalances(entries: Iterable<LedgerEntry>): Map<string, number> {
  const balances = new Map<string, number>();
  for (const entry of entries) {
    if (entry.amountMinor === null || entry.memberId === null) continue;
    const next = (balances.get(entry.memberId) ?? 0) + entry.amountMinor;
    if (!Number.isSafeInteger(next)) throw new RangeError(`balance of ${entry.memberId} overflows`);
    balances.set(entry.memberId, next);
  }
  return balances;
}

export interface AccountHolder {
  id: string;
  prepaid: boolean;
}

export interface LowBalance {
  memberId: string;
  balanceMinor: number;
  thresholdMinor: number;
}

/** Prepaid members whose balance is below the warning threshold, lowest balance first. */
export function lowBalances(
  members: readonly AccountHolder[],
  balances: ReadonlyMap<string, number>,
  thresholdMinor: number,
): LowBalance[] {
  return members
    .filter((m) => m.prepaid)
    .map((m) => ({ memberId: m.id, balanceMinor: balances.get(m.id) ?? 0, thresholdMinor }))
    .filter((m) => m.balanceMinor < thresholdMinor)
    .sort((a, b) => a.balanceMinor - b.balanceMinor || a.memberId.localeCompare(b.memberId));
}
