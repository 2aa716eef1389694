// Timing of a link (defaults suit a LAN gateway; tests shrink them) and what a link reports.
import { DEFAULT_BACKOFF, type BackoffOptions } from './backoff';

export interface LinkOptions {
  /** Wait for one reply, from writing the request (queue time excluded). */
  timeoutMs: number;
  /** Wait for the connection itself (TCP handshake, serial port open). */
  connectTimeoutMs: number;
  /** Silence after each reply or timeout before the next request; some RS-485 gateways need it. */
  interRequestGapMs: number;
  /** Pause between reconnect attempts while the link is down. */
  backoff: BackoffOptions;
  /** Consecutive failures after which a unit counts as offline (see unit-health.ts). */
  offlineAfterErrors: number;
  /** UTC ms clock for health timestamps and latency. */
  now: () => number;
}

export const DEFAULT_LINK_OPTIONS: LinkOptions = {
  timeoutMs: 1000,
  connectTimeoutMs: 3000,
  interRequestGapMs: 0,
  backoff: DEFAULT_BACKOFF,
  offlineAfterErrors: 3,
  now: () => Date.now(),
};

export function linkOptions(overrides: Partial<LinkOptions> = {}): LinkOptions {
  return {
    ...DEFAULT_LINK_OPTIONS,
    ...overrides,
    backoff: { ...DEFAULT_BACKOFF, ...overrides.backoff },
  };
}

/** idle: never used; connecting: requests wait; up: requests flow; down: requests fail fast. */
export type LinkState = 'idle' | 'connecting' | 'up' | 'down' | 'closed';

export interface LinkStatus {
  endpoint: string;
  state: LinkState;
  connectAttempts: number;
  /** Failed connections since the last reply; drives the backoff. */
  consecutiveConnectFailures: number;
  /** UTC ms of the next reconnect attempt while down. */
  nextAttemptMs: number | null;
  lastConnectError: string | null;
  queued: number;
}

export interface RequestOptions {
  /** Overrides the link's timeoutMs for this request. */
  timeoutMs?: number;
}
