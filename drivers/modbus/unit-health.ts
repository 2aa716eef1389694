// Per-unit health, derived from the outcome of every request to that unit. Rules:
// - A reply is any answer from the unit: data, or exception 01/02/03 (the unit is there and
//   says the request was wrong; that is the caller's problem, not the unit's health). A
//   reply sets lastGoodMs, updates latency and clears consecutiveErrors.
// - A failure is everything else except 'closed': timeout, disconnected, bad_reply and the
//   exceptions that say the unit cannot serve (04 device failure, 06 busy, 0A/0B gateway,
//   others). It increments errorCount and consecutiveErrors and becomes lastError.
// - state: 'offline' if the link is down or closed, if the unit never replied, or after
//   `offlineAfterErrors` (default 3) consecutive failures; 'degraded' after 1 or more
//   consecutive failures below that; otherwise 'ok'. A unit comes back to 'ok' only with a
//   reply, so the UI never shows a stale value as live after an outage.
// - latency runs from writing the request to its reply (queue wait excluded):
//   lastLatencyMs, and smoothedLatencyMs, an exponential average with weight 1/4 on the
//   newest sample, a base for adaptive timeouts.
import type { ModbusError, ModbusResult } from './unit-client';

export type UnitState = 'ok' | 'degraded' | 'offline';

export interface UnitHealth {
  state: UnitState;
  lastLatencyMs: number | null;
  smoothedLatencyMs: number | null;
  /** Failures since the link was created. */
  errorCount: number;
  consecutiveErrors: number;
  /** UTC ms of the last reply, null if the unit never replied. */
  lastGoodMs: number | null;
  lastError: ModbusError | null;
}

const SMOOTHING_WEIGHT = 0.25;
const HEALTHY_EXCEPTIONS = new Set(['illegal_function', 'illegal_address', 'illegal_value']);

export class UnitHealthTracker {
  private lastLatencyMs: number | null = null;
  private smoothedLatencyMs: number | null = null;
  private errorCount = 0;
  private consecutiveErrors = 0;
  private lastGoodMs: number | null = null;
  private lastError: ModbusError | null = null;

  constructor(private readonly offlineAfterErrors: number) {}

  /** `latencyMs` is null when the request never reached the wire or got no answer. */
  record(result: ModbusResult<unknown>, latencyMs: number | null, nowMs: number): void {
    if (!result.ok && result.error.code === 'closed') return;
    if (result.ok || HEALTHY_EXCEPTIONS.has(result.error.code)) {
      this.consecutiveErrors = 0;
      this.lastGoodMs = nowMs;
    } else {
      this.errorCount++;
      this.consecutiveErrors++;
      this.lastError = result.error;
    }
    if (latencyMs !== null) {
      this.lastLatencyMs = latencyMs;
      this.smoothedLatencyMs =
        this.smoothedLatencyMs === null
          ? latencyMs
          : this.smoothedLatencyMs + SMOOTHING_WEIGHT * (latencyMs - this.smoothedLatencyMs);
    }
  }

  snapshot(linkUsable: boolean): UnitHealth {
    return {
      state: this.state(linkUsable),
      lastLatencyMs: this.lastLatencyMs,
      smoothedLatencyMs: this.smoothedLatencyMs,
      errorCount: this.errorCount,
      consecutiveErrors: this.consecutiveErrors,
      lastGoodMs: this.lastGoodMs,
      lastError: this.lastError,
    };
  }

  private state(linkUsable: boolean): UnitState {
    if (
      !linkUsable ||
      this.lastGoodMs === null ||
      this.consecutiveErrors >= this.offlineAfterErrors
    )
      return 'offline';
    return this.consecutiveErrors > 0 ? 'degraded' : 'ok';
  }
}
