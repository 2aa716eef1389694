import type { ConnectionState } from '../api/transport';

/**
 * A snapshot older than this (by the time it arrived here) is not shown as live. The
 * station pushes one about every second, so five missed in a row means something is wrong.
 */
export const STALE_AFTER_MS = 5_000;

export interface LivenessInput {
  connection: ConnectionState;
  /** Local clock when the last snapshot arrived; null before the first one. */
  receivedAtMs: number | null;
  nowMs: number;
}

/** Measured by the local clock only, so a wrong clock on the station PC cannot fake it. */
export function isLive({ connection, receivedAtMs, nowMs }: LivenessInput): boolean {
  return connection === 'open' && receivedAtMs !== null && nowMs - receivedAtMs <= STALE_AFTER_MS;
}

/** The station's clock now, estimated from the last snapshot; for "n seconds ago" texts. */
export function stationNowMs(snapshotTsMs: number, receivedAtMs: number, nowMs: number): number {
  return snapshotTsMs + Math.max(0, nowMs - receivedAtMs);
}
