// What settlement of one interval takes and returns (issue #5 item 5). Energy in whole
// Wh, prices in micro-currency per kWh, money in integer minor units.
import type { Problem } from '../result';
import type { ClearingResult } from './clearing-types';
import type { MarketTariffs } from './order-types';

/** The parties besides members. Member ids may not take these names. */
export const UTILITY = 'utility';
export const NETWORK_OPERATOR = 'network-operator';
export const COMMUNITY_FUND = 'community-fund';
export const SYSTEM_PARTIES = [UTILITY, NETWORK_OPERATOR, COMMUNITY_FUND] as const;

/** A member's meter energy counters over the interval (both ≥ 0). */
export interface MeterReading {
  memberId: string;
  importWh: number;
  exportWh: number;
}

export interface ImbalancePrices {
  /** Paid by a member for energy it used beyond its trades (deviation > 0). */
  shortMicroPerKWh: number;
  /** Paid to a member for energy it fed in beyond its trades (deviation < 0). */
  longMicroPerKWh: number;
}

export interface SettlementInput {
  intervalId: string;
  clearing: ClearingResult;
  metered: ReadonlyArray<MeterReading>;
  tariffs: MarketTariffs;
  /**
   * Default: retail for short, feed-in for long (the utility's tariffs). Not used for an
   * island interval: its deviations settle with the community fund at the island price.
   */
  imbalance?: ImbalancePrices;
  /**
   * Settle a participant without a reading as if it metered exactly its trades (deviation
   * 0, flagged `readingAssumed`). Off by default: settlement waits for the readings.
   */
  assumeTradedWhenMissing?: boolean;
}

export type SettlementLineKind =
  'local-buy' | 'local-sell' | 'grid-fee' | 'congestion' | 'imbalance-short' | 'imbalance-long';

/**
 * One side of a transfer between two parties. Every transfer is written twice, once for
 * each party with opposite amounts, so the lines of an interval sum to exactly zero.
 */
export interface SettlementLine {
  party: string;
  counterparty: string;
  kind: SettlementLineKind;
  /** Energy the transfer is for, Wh (≥ 0). */
  energyWh: number;
  /** Signed: + the party receives, − the party pays. */
  amountMinor: number;
  /** The member the line is about: the party when it is a member, else the counterparty. */
  memberId?: string;
  /** Local trades: `<intervalId>#<index in clearing.trades>`. */
  tradeRef?: string;
}

export interface MemberSettlement {
  memberId: string;
  boughtWh: number;
  soldWh: number;
  /** bought − sold. */
  tradedNetWh: number;
  /** import − export. */
  meteredNetWh: number;
  /** metered − traded: > 0 short, < 0 long (settled with the utility; in an island the fund). */
  deviationWh: number;
  /** What the member's account changes by: the sum of its lines (+ credit, − debit). */
  amountMinor: number;
  /** No reading: settled as if it metered its trades (assumeTradedWhenMissing). */
  readingAssumed: boolean;
}

export interface PartyTotal {
  party: string;
  amountMinor: number;
}

export interface IntervalSettlement {
  intervalId: string;
  imbalance: ImbalancePrices;
  lines: SettlementLine[];
  /** Members in code-unit order of their ids. */
  members: MemberSettlement[];
  /** Every party's sum (members first, then utility, network operator, community fund); Σ = 0. */
  parties: PartyTotal[];
}

export interface SettlementProblem extends Problem {
  code:
    | 'missing_readings'
    | 'bad_reading'
    | 'duplicate_reading'
    | 'reserved_member_id'
    | 'bad_imbalance_price';
  /** The members concerned (for missing_readings: every one without a reading). */
  memberIds: string[];
}
