// Rolling window of site power for the overview chart: seeded from history, then fed
// with live snapshots. Live samples are averaged into buckets as wide as the history
// buckets, so an hour stays ~360 points per series however often snapshots arrive.
import type { HistorySample, SiteFlowPoint, SitePointDevice } from '../api/contract';

export const TREND_SERIES = ['pvW', 'loadW', 'batteryW', 'gridW'] as const;
export type TrendSeries = (typeof TREND_SERIES)[number] & SiteFlowPoint;

export type SiteFlowPointId = `${SitePointDevice}.${TrendSeries}`;

/** History point ids of the series, tied to the contract's `site` pseudo device. */
export const TREND_POINT_IDS: Readonly<Record<TrendSeries, SiteFlowPointId>> = {
  pvW: 'site.pvW',
  loadW: 'site.loadW',
  batteryW: 'site.batteryW',
  gridW: 'site.gridW',
};

/** Chart.js reads `{ x, y }` directly (parsing off); y null draws a gap. */
export interface TrendPoint {
  x: number;
  y: number | null;
}

interface OpenBucket {
  start: number;
  sum: number;
  count: number;
}

export class TrendBuffer {
  readonly windowMs: number;
  readonly bucketMs: number;
  readonly series: Readonly<Record<TrendSeries, TrendPoint[]>>;
  readonly #open: Record<TrendSeries, OpenBucket | null>;

  constructor(windowMs = 3_600_000, bucketMs = 10_000) {
    this.windowMs = windowMs;
    this.bucketMs = bucketMs;
    this.series = { pvW: [], loadW: [], batteryW: [], gridW: [] };
    this.#open = { pvW: null, loadW: null, batteryW: null, gridW: null };
  }

  clear(): void {
    for (const key of TREND_SERIES) {
      this.series[key].length = 0;
      this.#open[key] = null;
    }
  }

  /** Adds history older than anything live already in the buffer (live data wins). */
  seed(key: TrendSeries, samples: readonly HistorySample[]): void {
    const points = this.series[key];
    const firstLive = points[0]?.x ?? Infinity;
    const older = samples
      .filter((s) => s.tsMs < firstLive && Number.isFinite(s.value))
      .map((s) => ({ x: s.tsMs, y: s.value }));
    points.unshift(...older);
  }

  /** Adds one snapshot's values; null marks a gap (stale or missing data). */
  push(tsMs: number, values: Readonly<Record<TrendSeries, number | null>>): void {
    const start = Math.floor(tsMs / this.bucketMs) * this.bucketMs;
    for (const key of TREND_SERIES) this.#pushOne(key, start, values[key]);
    this.trim(tsMs);
  }

  /** Drops points that have left the window ending at `nowMs`. */
  trim(nowMs: number): void {
    const from = nowMs - this.windowMs;
    for (const key of TREND_SERIES) {
      const points = this.series[key];
      let drop = 0;
      while (drop < points.length && (points[drop]?.x ?? Infinity) < from) drop += 1;
      if (drop > 0) points.splice(0, drop);
    }
  }

  #pushOne(key: TrendSeries, start: number, value: number | null): void {
    const points = this.series[key];
    const open = this.#open[key];
    const last = points[points.length - 1];
    if (open && open.start === start && last && last.x === start) {
      if (value !== null) {
        open.sum += value;
        open.count += 1;
        last.y = open.sum / open.count;
      }
      return;
    }
    if (last && last.x >= start) return; // Out of order (older than the open bucket).
    this.#open[key] = { start, sum: value ?? 0, count: value === null ? 0 : 1 };
    points.push({ x: start, y: value });
  }
}
