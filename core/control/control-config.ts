// How control behaves: which strategies run (in order), their parameters, the safety
// envelope's limits and the island thresholds. Defaults come from the site (grid limits)
// and from common grid-code values; validateControlConfig refuses inconsistent settings.
import { fail, ok, type Result } from '../result';
import type { Site } from '../site/site-types';

export const STRATEGY_NAMES = [
  'market-following',
  'tou-charging',
  'self-consumption',
  'peak-shaving',
  'export-limit',
  'outage-reserve',
] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** A cheap-tariff window in site local time; may wrap midnight (start > end). */
export interface TouWindow {
  startMinute: number;
  endMinute: number;
  /** Charge until this SoC. */
  targetSocPct: number;
  /** Total charging power across all batteries, W (> 0). */
  chargePowerW: number;
}

export interface IslandConfig {
  /** Grid present only inside these ranges at the grid meter (trip thresholds). */
  voltageMinV: number;
  voltageMaxV: number;
  frequencyMinHz: number;
  frequencyMaxHz: number;
  /** Tighter ranges the grid must hold to count as back (enter-service criteria). */
  returnVoltageMinV: number;
  returnVoltageMaxV: number;
  returnFrequencyMinHz: number;
  returnFrequencyMaxHz: number;
  /** Consecutive bad cycles before entering island (1 or 2 keeps detection ≤ 2 cycles). */
  lossConfirmCycles: number;
  /** Grid must stay back this long before reconnecting (IEEE 1547: minutes; default 300 s). */
  enterServiceDelayS: number;
  /** One load restored per step, one step per this many seconds. */
  restoreStepS: number;
  /** Non-critical loads are shed at or below this combined SoC. */
  shedSocPct: number;
  /** Critical loads are shed only at or below this SoC (or when power cannot serve them). */
  criticalShedSocPct: number;
  /** A shed load comes back once SoC is this far above its shed threshold. */
  restoreHysteresisPct: number;
  /** Use at most this share of the batteries' discharge limit before shedding, %. */
  powerMarginPct: number;
  /** At or above this SoC the battery cannot take surplus: curtail PV to the load. */
  pvCurtailSocPct: number;
}

export interface ControlConfig {
  /** Enabled strategies, in composition order: a later one may only narrow (narrowing.ts). */
  strategies: StrategyName[];
  /** Nominal cycle length; also the elapsed time assumed for a first write's ramp. */
  cycleMs: number;
  /**
   * minSocPct: self-consumption does not discharge a battery at or below this SoC, so the
   * energy above the outage reserve is kept for peak shaving (0: no floor of its own).
   */
  selfConsumption: { gridTargetW: number; minSocPct: number };
  peakShaving: { importLimitW: number; marginW: number };
  exportLimit: { exportLimitW: number; marginW: number };
  touCharging: { windows: TouWindow[] };
  outageReserve: { reserveSocPct: number };
  /** SoC window of every battery; within taperPct of an edge the power tapers linearly. */
  soc: { minPct: number; maxPct: number; taperPct: number };
  /** Largest change of a battery setpoint per second, W/s. */
  rampWPerS: number;
  /** No write to the same device sooner than this after the last one. */
  minWriteIntervalMs: number;
  /** Every write carries this revert time: the device falls back if not rewritten. */
  setpointLifetimeS: number;
  /** Rewrite an unchanged setpoint after this share of its lifetime (0 < f < 1). */
  rewriteFraction: number;
  island: IslandConfig;
}

/** Nominal 230 V / 50 Hz; trip ranges as EN 50549-1 defaults, return ranges as IEEE 1547. */
export const DEFAULT_ISLAND_CONFIG: IslandConfig = {
  voltageMinV: 195.5, // 0.85 pu
  voltageMaxV: 264.5, // 1.15 pu
  frequencyMinHz: 47.5,
  frequencyMaxHz: 51.5,
  returnVoltageMinV: 210.9, // 0.917 pu
  returnVoltageMaxV: 241.5, // 1.05 pu
  returnFrequencyMinHz: 49.5,
  returnFrequencyMaxHz: 50.1,
  lossConfirmCycles: 2,
  enterServiceDelayS: 300,
  restoreStepS: 10,
  shedSocPct: 30,
  criticalShedSocPct: 12,
  restoreHysteresisPct: 5,
  powerMarginPct: 90,
  pvCurtailSocPct: 95,
};

export function defaultControlConfig(site: Pick<Site, 'grid'>): ControlConfig {
  return {
    strategies: ['self-consumption', 'peak-shaving', 'export-limit', 'outage-reserve'],
    cycleMs: 1000,
    selfConsumption: { gridTargetW: 0, minSocPct: 0 },
    peakShaving: { importLimitW: site.grid.importLimitW, marginW: 200 },
    exportLimit: { exportLimitW: site.grid.exportLimitW, marginW: 200 },
    touCharging: { windows: [] },
    outageReserve: { reserveSocPct: 30 },
    soc: { minPct: 10, maxPct: 95, taperPct: 0 },
    rampWPerS: 2000,
    minWriteIntervalMs: 500,
    setpointLifetimeS: 30,
    rewriteFraction: 0.5,
    island: { ...DEFAULT_ISLAND_CONFIG },
  };
}

const finiteAtLeast = (v: number, min: number): boolean => Number.isFinite(v) && v >= min;
const pct = (v: number): boolean => Number.isFinite(v) && v >= 0 && v <= 100;

/**
 * Refuses settings the envelope or the island machine could not honour safely. With the
 * site, also settings that would step outside its grid connection (connectionProblems).
 */
export function validateControlConfig(
  config: ControlConfig,
  site?: Pick<Site, 'grid'>,
): Result<ControlConfig> {
  const problems: [boolean, string, string][] = [
    [
      config.strategies.every((s) => STRATEGY_NAMES.includes(s)) &&
        new Set(config.strategies).size === config.strategies.length,
      'strategies',
      'unknown or repeated strategy',
    ],
    [finiteAtLeast(config.cycleMs, 1), 'cycleMs', 'must be >= 1'],
    [Number.isFinite(config.selfConsumption.gridTargetW), 'selfConsumption.gridTargetW', 'finite'],
    [pct(config.selfConsumption.minSocPct), 'selfConsumption.minSocPct', 'percentage'],
    [finiteAtLeast(config.peakShaving.importLimitW, 0), 'peakShaving.importLimitW', '>= 0'],
    [finiteAtLeast(config.peakShaving.marginW, 0), 'peakShaving.marginW', '>= 0'],
    [finiteAtLeast(config.exportLimit.exportLimitW, 0), 'exportLimit.exportLimitW', '>= 0'],
    [finiteAtLeast(config.exportLimit.marginW, 0), 'exportLimit.marginW', '>= 0'],
    [
      config.touCharging.windows.every(
        (w) =>
          Number.isInteger(w.startMinute) &&
          Number.isInteger(w.endMinute) &&
          w.startMinute >= 0 &&
          w.startMinute < 1440 &&
          w.endMinute >= 0 &&
          w.endMinute < 1440 &&
          w.startMinute !== w.endMinute &&
          pct(w.targetSocPct) &&
          finiteAtLeast(w.chargePowerW, 0),
      ),
      'touCharging.windows',
      'minutes 0..1439 with start ≠ end, target SoC 0..100, charge power >= 0',
    ],
    [pct(config.soc.minPct) && pct(config.soc.maxPct), 'soc', 'percentages'],
    [config.soc.minPct < config.soc.maxPct, 'soc', 'minPct must be below maxPct'],
    [
      finiteAtLeast(config.soc.taperPct, 0) &&
        config.soc.taperPct * 2 <= config.soc.maxPct - config.soc.minPct,
      'soc.taperPct',
      'at most half the SoC window',
    ],
    [pct(config.outageReserve.reserveSocPct), 'outageReserve.reserveSocPct', 'percentage'],
    [
      Number.isFinite(config.rampWPerS) && config.rampWPerS > 0,
      'rampWPerS',
      'must be finite and > 0',
    ],
    [
      Number.isInteger(config.setpointLifetimeS) && config.setpointLifetimeS >= 1,
      'setpointLifetimeS',
      'integer >= 1',
    ],
    [
      Number.isFinite(config.rewriteFraction) &&
        config.rewriteFraction > 0 &&
        config.rewriteFraction < 1,
      'rewriteFraction',
      'between 0 and 1',
    ],
    [
      finiteAtLeast(config.minWriteIntervalMs, 0) &&
        config.minWriteIntervalMs < config.setpointLifetimeS * 1000 * config.rewriteFraction,
      'minWriteIntervalMs',
      'must be below the rewrite time, or setpoints would expire while held',
    ],
    ...validateIsland(config.island),
    ...(site ? connectionProblems(config, site.grid) : []),
  ];
  const bad = problems.find(([good]) => !good);
  if (bad) return fail({ code: 'invalid_control_config', path: bad[1], message: bad[2] });
  return ok(config);
}

function validateIsland(c: IslandConfig): [boolean, string, string][] {
  const range = (min: number, max: number) =>
    finiteAtLeast(min, 0) && Number.isFinite(max) && min < max;
  return [
    [range(c.voltageMinV, c.voltageMaxV), 'island.voltage', 'min < max'],
    [range(c.frequencyMinHz, c.frequencyMaxHz), 'island.frequency', 'min < max'],
    [
      range(c.returnVoltageMinV, c.returnVoltageMaxV) &&
        c.returnVoltageMinV >= c.voltageMinV &&
        c.returnVoltageMaxV <= c.voltageMaxV,
      'island.returnVoltage',
      'inside the trip range',
    ],
    [
      range(c.returnFrequencyMinHz, c.returnFrequencyMaxHz) &&
        c.returnFrequencyMinHz >= c.frequencyMinHz &&
        c.returnFrequencyMaxHz <= c.frequencyMaxHz,
      'island.returnFrequency',
      'inside the trip range',
    ],
    [
      Number.isInteger(c.lossConfirmCycles) && c.lossConfirmCycles >= 1 && c.lossConfirmCycles <= 2,
      'island.lossConfirmCycles',
      '1 or 2 (loss of grid must be detected within 2 cycles)',
    ],
    [finiteAtLeast(c.enterServiceDelayS, 0), 'island.enterServiceDelayS', '>= 0'],
    [finiteAtLeast(c.restoreStepS, 0), 'island.restoreStepS', '>= 0'],
    [pct(c.shedSocPct) && pct(c.criticalShedSocPct), 'island.shedSocPct', 'percentages'],
    [c.criticalShedSocPct <= c.shedSocPct, 'island.criticalShedSocPct', 'at most shedSocPct'],
    [finiteAtLeast(c.restoreHysteresisPct, 0), 'island.restoreHysteresisPct', '>= 0'],
    [
      Number.isFinite(c.powerMarginPct) && c.powerMarginPct > 0 && c.powerMarginPct <= 100,
      'island.powerMarginPct',
      '0 < margin <= 100',
    ],
    [pct(c.pvCurtailSocPct), 'island.pvCurtailSocPct', 'percentage'],
  ];
}

const kW = (w: number): string => `${Math.round(w) / 1000} kW`;

/**
 * The grid connection bounds what an operator may set: an import or export limit tighter
 * than the connection's is allowed (e.g. to keep headroom on an old transformer), a looser
 * one never, since the connection agreement and its protection do not change with a form.
 * A margin must leave a target at or above 0 W, and the self-consumption target must lie
 * between the export and import limits, or the strategies would chase a grid power that
 * the limits forbid.
 */
function connectionProblems(
  c: ControlConfig,
  grid: Pick<Site, 'grid'>['grid'],
): [boolean, string, string][] {
  const tighter = (direction: string, limitW: number): string =>
    `at most the connection's ${direction} limit (${kW(limitW)}): a tighter limit is allowed, a looser one never`;
  return [
    [
      c.peakShaving.importLimitW <= grid.importLimitW,
      'peakShaving.importLimitW',
      tighter('import', grid.importLimitW),
    ],
    [
      c.peakShaving.marginW <= c.peakShaving.importLimitW,
      'peakShaving.marginW',
      'at most the import limit',
    ],
    [
      c.exportLimit.exportLimitW <= grid.exportLimitW,
      'exportLimit.exportLimitW',
      tighter('export', grid.exportLimitW),
    ],
    [
      c.exportLimit.marginW <= c.exportLimit.exportLimitW,
      'exportLimit.marginW',
      'at most the export limit',
    ],
    [
      c.selfConsumption.gridTargetW <= c.peakShaving.importLimitW &&
        c.selfConsumption.gridTargetW >= -c.exportLimit.exportLimitW,
      'selfConsumption.gridTargetW',
      `between −${kW(c.exportLimit.exportLimitW)} (export limit) and +${kW(c.peakShaving.importLimitW)} (import limit)`,
    ],
  ];
}
