// The ledger part of the station contract: blocks and entries to browse, a verification on
// demand, members' prepaid accounts with top-ups, and member statements with their proofs.
// Money in integer minor units (+ credits the member), energy in Wh, times UTC ms.

export interface LedgerSummary {
  /** Height of the last sealed block (0 = genesis); -1 before genesis. */
  height: number;
  hash: string;
  /** Acknowledged entries, sealed or pending. */
  entries: number;
  /** Entries after the last block, not sealed yet. */
  pending: number;
  /** The station's signing key id and public key (PEM) members check proofs with. */
  keyId: string | null;
  publicKeyPem: string;
}

export interface LedgerBlockView {
  height: number;
  hash: string;
  prevHash: string;
  merkleRoot: string;
  timeMs: number;
  firstSeq: number;
  entryCount: number;
  signerKeyId: string;
  reason: string;
}

export interface LedgerEntryView {
  seq: number;
  hash: string;
  timeMs: number;
  kind: string;
  memberId: string | null;
  amountMinor: number | null;
  balanceAfterMinor: number | null;
  payload: Record<string, unknown>;
  /** Height of the block that sealed it; null while pending. */
  block: number | null;
  memberSigned: boolean;
}

export interface LedgerEntryQuery {
  /** Newest first, entries before this sequence number (default: from the newest). */
  beforeSeq?: number;
  limit?: number;
  kind?: string;
  memberId?: string;
}

export type LedgerVerifyResult =
  | { ok: true; blocks: number; entries: number; members: number; durationMs: number }
  | {
      ok: false;
      code: string;
      message: string;
      block: number | null;
      entry: number | null;
      durationMs: number;
    };

export type DisconnectAdvice =
  | { action: 'disconnect'; reason: 'balance_below_minimum' }
  | {
      action: 'keep';
      reason: 'policy_disabled' | 'not_prepaid' | 'critical' | 'balance_ok' | 'night';
    };

export interface AccountView {
  memberId: string;
  name: string;
  prepaid: boolean;
  critical: boolean;
  balanceMinor: number;
  /** A prepaid member below the site's warning threshold. */
  low: boolean;
  /** What the disconnect policy says now; the control layer decides whether to act. */
  advice: DisconnectAdvice;
}

export interface AccountsView {
  currency: string;
  minorUnitDigits: number;
  lowBalanceMinor: number;
  accounts: AccountView[];
}

export const TOP_UP_METHODS = ['cash', 'mobile-money', 'bank', 'voucher', 'other'] as const;
export type TopUpMethod = (typeof TOP_UP_METHODS)[number];

export interface TopUpRequest {
  memberId: string;
  amountMinor: number;
  method: TopUpMethod;
  reference: string;
}

export interface StatementRequest {
  memberId: string;
  fromMs: number;
  toMs: number;
}

export interface StatementFiles {
  /** Suggested file name stem: statement-<member>-<from>-<to>. */
  name: string;
  csv: string;
  html: string;
  /** The JSON proof (Merkle inclusion proofs and signed block headers). */
  proof: string;
  /** Entries listed but not sealed yet, so not provable yet. */
  pending: number;
}
