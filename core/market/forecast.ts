// A member's expected net energy for one delivery interval, from its meter's recent
// telemetry (issue #5 item 3). Deliberately simple, so a member can follow it:
//
//   recent  = time-weighted mean net power of the last `windowMinutes` (default 15)
//             before `nowMs` (persistence: the next interval looks like the last minutes)
//   daily   = time-weighted mean net power over the same interval 24 h earlier, when the
//             meter covered it (it carries the daily shape: cooking, the evening peak)
//   meanW   = recent, or (100 − w)% × recent + w% × daily with w = yesterdayWeightPct
//             (default 25: persistence dominates at a horizon of one interval)
//   energy  = meanW × interval length, in whole Wh
//
// Sign (as the grid meter): > 0 the member needs energy (imports), < 0 it has a surplus
// (exports). PV power is ≥ 0.
//
// Samples are irregular: each one holds (zero-order hold) until the next sample, but at
// most `maxHoldMs` (default 60 s); time not held by any sample is a gap. Coverage is the
// held share of a window; below `minCoveragePct` (default 50) the window is too thin:
// no recent mean → no forecast (null, the agent sends no order); no daily mean → no blend.
//
// Exact rounding: powers are taken in whole mW and timestamps in whole ms, so every sum
// is an exact integer (BigInt); the energy is that exact rational rounded once to the
// nearest Wh, halves away from zero (imports and exports round alike).

export interface NetPowerSample {
  tsMs: number;
  /** Net power at the member's grid meter, W: > 0 import, < 0 export. */
  netW: number;
}

export interface PvPowerSample {
  tsMs: number;
  /** PV production, W (≥ 0; a negative standby draw counts as 0). */
  pvW: number;
}

export interface DeliveryInterval {
  startMs: number;
  endMs: number;
}

export interface ForecastOptions {
  /** When the forecast is made (end of the recent window), UTC ms. Default: interval.startMs. */
  nowMs?: number;
  windowMinutes?: number;
  maxHoldMs?: number;
  minCoveragePct?: number;
  /** Share of the same interval yesterday in the blend, whole percent 0–100 (0: none). */
  yesterdayWeightPct?: number;
}

export const FORECAST_DEFAULTS = {
  windowMinutes: 15,
  maxHoldMs: 60_000,
  minCoveragePct: 50,
  yesterdayWeightPct: 25,
} as const;

const DAY_MS = 86_400_000;
/** mW × ms per Wh. */
const MILLIWATT_MS_PER_WH = 3_600_000_000n;

/** How a forecast came about, for the Market page ("why this order"). */
export interface ForecastDetail {
  energyWh: number;
  recentMeanW: number;
  /** Held share of the recent window, 0–100. */
  recentCoveragePct: number;
  /** Null when the same interval yesterday was not covered well enough (not blended). */
  yesterdayMeanW: number | null;
  yesterdayCoveragePct: number;
  /** Weight the daily mean actually got (0 when it was not blended). */
  yesterdayWeightPct: number;
}

/** Expected net energy of the interval in whole Wh (> 0 import), or null when data is too thin. */
export function forecastIntervalWh(
  samples: ReadonlyArray<NetPowerSample>,
  interval: DeliveryInterval,
  options: ForecastOptions = {},
): number | null {
  return explainForecast(samples, interval, options)?.energyWh ?? null;
}

/** forecastIntervalWh with its reasons. */
export function explainForecast(
  samples: ReadonlyArray<NetPowerSample>,
  interval: DeliveryInterval,
  options: ForecastOptions = {},
): ForecastDetail | null {
  return forecastOf(samples, (s) => s.netW, interval, options);
}

export interface SolarForecast {
  /** Expected PV production over the interval, Wh. */
  pvWh: number;
  /** The exported part of the net forecast (0 when the member imports), Wh. */
  surplusWh: number;
  /** The part of the surplus the PV covers: min(pvWh, surplusWh). */
  solarWh: number;
  /**
   * The whole surplus is PV energy, so a sell may offer it as `solar`. A partial share is
   * not labelled: an order has one energy type, and a green-only buyer must get solar.
   */
  solar: boolean;
}

/**
 * Which part of a member's forecast surplus its PV produces, from PV power samples with
 * the same method and options as forecastIntervalWh. Null when the PV data is too thin
 * (then do not label the surplus solar).
 */
export function forecastSolarShare(
  pvSamples: ReadonlyArray<PvPowerSample>,
  interval: DeliveryInterval,
  netForecastWh: number | null,
  options: ForecastOptions = {},
): SolarForecast | null {
  const pv = forecastOf(pvSamples, (s) => Math.max(0, s.pvW), interval, options);
  if (!pv) return null;
  const pvWh = Math.max(0, pv.energyWh);
  const surplusWh = netForecastWh !== null && netForecastWh < 0 ? -netForecastWh : 0;
  const solarWh = Math.min(pvWh, surplusWh);
  return { pvWh, surplusWh, solarWh, solar: surplusWh > 0 && solarWh === surplusWh };
}

interface WindowSum {
  /** Σ power (mW) × held time (ms) inside the window, exact. */
  milliWattMs: bigint;
  coveredMs: number;
  windowMs: number;
}

function forecastOf<T extends { tsMs: number }>(
  samples: ReadonlyArray<T>,
  watts: (sample: T) => number,
  interval: DeliveryInterval,
  options: ForecastOptions,
): ForecastDetail | null {
  const o = { ...FORECAST_DEFAULTS, ...options };
  checkOptions(interval, o);
  const points = cleanPoints(samples, watts);
  const nowMs = Math.round(options.nowMs ?? interval.startMs);
  const recent = heldSum(points, nowMs - o.windowMinutes * 60_000, nowMs, o.maxHoldMs);
  if (!covered(recent, o.minCoveragePct)) return null;
  const daily = heldSum(points, interval.startMs - DAY_MS, interval.endMs - DAY_MS, o.maxHoldMs);
  const useDaily = o.yesterdayWeightPct > 0 && covered(daily, o.minCoveragePct);
  const w = BigInt(useDaily ? o.yesterdayWeightPct : 0);
  // (100 − w)·rS/rC + w·dS/dC over a common denominator, then × duration / (100 · mW·ms/Wh).
  const dailySum = useDaily ? daily.milliWattMs : 0n;
  const dailyMs = BigInt(useDaily ? daily.coveredMs : 1);
  const recentMs = BigInt(recent.coveredMs);
  const numerator =
    ((100n - w) * recent.milliWattMs * dailyMs + w * dailySum * recentMs) *
    BigInt(interval.endMs - interval.startMs);
  const denominator = recentMs * dailyMs * 100n * MILLIWATT_MS_PER_WH;
  return {
    energyWh: roundHalfAwayFromZero(numerator, denominator),
    recentMeanW: meanW(recent),
    recentCoveragePct: coveragePct(recent),
    yesterdayMeanW: useDaily ? meanW(daily) : null,
    yesterdayCoveragePct: coveragePct(daily),
    yesterdayWeightPct: Number(w),
  };
}

function checkOptions(interval: DeliveryInterval, o: Required<Omit<ForecastOptions, 'nowMs'>>) {
  // Bad options are a caller's bug, not a member's data problem: throw.
  const bad = (what: string) => new RangeError(`forecast: ${what}`);
  if (!Number.isSafeInteger(interval.startMs) || !Number.isSafeInteger(interval.endMs))
    throw bad('interval bounds must be whole ms');
  if (interval.endMs <= interval.startMs) throw bad('interval must end after it starts');
  if (!(o.windowMinutes > 0)) throw bad('windowMinutes must be > 0');
  if (!(o.maxHoldMs > 0)) throw bad('maxHoldMs must be > 0');
  if (!(o.minCoveragePct >= 0 && o.minCoveragePct <= 100))
    throw bad('minCoveragePct must be 0–100');
  if (
    !Number.isInteger(o.yesterdayWeightPct) ||
    o.yesterdayWeightPct < 0 ||
    o.yesterdayWeightPct > 100
  )
    throw bad('yesterdayWeightPct must be a whole percent 0–100');
}

interface Point {
  tsMs: number;
  milliWatt: number;
}

/** Finite samples in time order (stable), power in whole mW, time in whole ms. */
function cleanPoints<T extends { tsMs: number }>(
  samples: ReadonlyArray<T>,
  watts: (sample: T) => number,
): Point[] {
  const points: Point[] = [];
  let sorted = true;
  for (const s of samples) {
    const w = watts(s);
    // A broken sample is a gap, not a zero: it must not pull the mean.
    if (!Number.isFinite(w) || !Number.isFinite(s.tsMs)) continue;
    const p = { tsMs: Math.round(s.tsMs), milliWatt: Math.round(w * 1000) };
    if (points.length > 0 && p.tsMs < (points[points.length - 1] as Point).tsMs) sorted = false;
    points.push(p);
  }
  return sorted ? points : points.sort((a, b) => a.tsMs - b.tsMs);
}

/** Zero-order hold: a sample stands until the next one, at most maxHoldMs. */
function heldSum(points: readonly Point[], fromMs: number, toMs: number, maxHoldMs: number) {
  const sum: WindowSum = { milliWattMs: 0n, coveredMs: 0, windowMs: toMs - fromMs };
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as Point;
    if (p.tsMs >= toMs) break;
    const next = points[i + 1]?.tsMs ?? Infinity;
    const end = Math.min(next, p.tsMs + maxHoldMs, toMs);
    const start = Math.max(p.tsMs, fromMs);
    if (end <= start) continue;
    const heldMs = Math.round(end - start);
    sum.milliWattMs += BigInt(p.milliWatt) * BigInt(heldMs);
    sum.coveredMs += heldMs;
  }
  return sum;
}

const covered = (s: WindowSum, minPct: number) =>
  s.coveredMs > 0 && s.coveredMs * 100 >= minPct * s.windowMs;

const meanW = (s: WindowSum) => Number(s.milliWattMs) / s.coveredMs / 1000;

const coveragePct = (s: WindowSum) => (s.windowMs > 0 ? (100 * s.coveredMs) / s.windowMs : 0);

function roundHalfAwayFromZero(numerator: bigint, denominator: bigint): number {
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  let quotient = magnitude / denominator;
  if ((magnitude % denominator) * 2n >= denominator) quotient += 1n;
  return Number(negative ? -quotient : quotient);
}
