// How long telemetry is kept and how history queries pick their resolution. Raw samples
// (one per poll, 1 s) are kept for a day; one-minute aggregates (mean/min/max) for a year.
import type { HistoryQuery, HistoryResolution } from '../api/station-api';

export interface RetentionPolicy {
  rawRetentionMs: number;
  minuteRetentionMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  rawRetentionMs: 24 * 3600_000,
  minuteRetentionMs: 365 * 24 * 3600_000,
};

export const MINUTE_MS = 60_000;
/** Spans longer than this read minute aggregates even when raw data still exists. */
export const RAW_MAX_SPAN_MS = 6 * 3600_000;
export const DEFAULT_MAX_POINTS = 1000;
export const MAX_POINTS_LIMIT = 10_000;

export interface HistoryPlan {
  resolution: HistoryResolution;
  /** Samples are averaged into buckets of this width; a multiple of the native step. */
  bucketMs: number;
}

export function planHistory(
  query: HistoryQuery,
  nowMs: number,
  policy: RetentionPolicy,
): HistoryPlan {
  const spanMs = Math.max(1, query.toMs - query.fromMs);
  const maxPoints = Math.min(query.maxPoints ?? DEFAULT_MAX_POINTS, MAX_POINTS_LIMIT);
  const rawAvailable = query.fromMs >= nowMs - policy.rawRetentionMs;
  const resolution: HistoryResolution =
    query.resolution === 'raw' || query.resolution === '1m'
      ? query.resolution
      : rawAvailable && spanMs <= RAW_MAX_SPAN_MS
        ? 'raw'
        : '1m';
  const nativeMs = resolution === 'raw' ? 1000 : MINUTE_MS;
  const bucketMs = Math.max(nativeMs, Math.ceil(spanMs / maxPoints / nativeMs) * nativeMs);
  return { resolution, bucketMs };
}
