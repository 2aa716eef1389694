// What the market service needs decided for it — forecasts, the members' agents, and
// settlement — injected so each rule is tested on its own (the station passes core's).
import type { Result } from '../result';
import type { ClearingResult } from './clearing-types';
import type { BoundaryReading } from './market-repository';
import type { AgentMember } from './member-agent';
import type { MarketTariffs, OrderInput } from './order-types';

export type { AgentMember } from './member-agent';

export interface MemberSample {
  tsMs: number;
  /** Net power at the member's meter, W: > 0 import. */
  netW: number;
  /** The member's PV production, W; null when it has none. */
  pvW: number | null;
}

/** The parts that decide prices and money, injected so each is tested on its own. */
export interface MarketRules {
  /** A member's expected net energy over the interval and whether a surplus is solar. */
  forecast(
    samples: readonly MemberSample[],
    interval: { startMs: number; endMs: number },
    nowMs: number,
  ): Omit<AgentMember, 'memberId'>;
  agentOrders(input: {
    intervalId: string;
    members: readonly AgentMember[];
    preferences: ReadonlyMap<string, unknown>;
    tariffs: MarketTariffs;
  }): OrderInput[];
  settle(input: {
    intervalId: string;
    clearing: ClearingResult;
    metered: readonly BoundaryReading[];
    tariffs: MarketTariffs;
    imbalance?: { shortMicroPerKWh: number; longMicroPerKWh: number };
  }): Result<{
    members: ReadonlyArray<{ memberId: string; meteredNetWh: number; amountMinor: number }>;
  }>;
}
