// Editing the control parameters: an operator sends a part of the config (or all of it),
// it is merged onto the running one, checked against the site, and the difference is listed
// field by field ("peakShaving.importLimitW: 60000 → 50000") for the confirmation dialog
// and the ledger.
import { fail, ok, type Result } from '../result';
import type { Site } from '../site/site-types';
import {
  validateControlConfig,
  type ControlConfig,
  type StrategyName,
  type TouWindow,
} from './control-config';

/** A part of the config: any top-level field; objects may be partial, lists are whole. */
export type ControlConfigPatch = {
  [K in keyof ControlConfig]?: ControlConfig[K] extends readonly unknown[]
    ? ControlConfig[K]
    : ControlConfig[K] extends object
      ? Partial<ControlConfig[K]>
      : ControlConfig[K];
};

export type ConfigValue = number | StrategyName[] | TouWindow[];

export interface ConfigChange {
  /** Dotted path of the field, e.g. `island.shedSocPct`; lists change as a whole. */
  path: string;
  from: ConfigValue;
  to: ConfigValue;
}

/**
 * Fields the station sets itself: cycleMs follows the snapshot interval and rewriteFraction
 * is tied to the revert timers. A whole config from control.state may carry them unchanged.
 */
export const FIXED_FIELDS = ['cycleMs', 'rewriteFraction'] as const;

/** The config without the station's own fields: what an operator edits and station.db keeps. */
export type EditableControlConfig = Omit<ControlConfig, (typeof FIXED_FIELDS)[number]>;

export function editableConfig(config: ControlConfig): EditableControlConfig {
  const { cycleMs: _cycle, rewriteFraction: _rewrite, ...editable } = config;
  return editable;
}

/** The patch over the config; absent and `undefined` fields keep their value. */
export function mergeControlConfig(base: ControlConfig, patch: ControlConfigPatch): ControlConfig {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const current = merged[key];
    merged[key] =
      isPlainObject(value) && isPlainObject(current)
        ? { ...current, ...definedOnly(value) }
        : structuredClone(value);
  }
  return merged as unknown as ControlConfig;
}

/** Every field whose value differs, in the config's own order. */
export function diffControlConfig(before: ControlConfig, after: ControlConfig): ConfigChange[] {
  const changes: ConfigChange[] = [];
  const walk = (a: Record<string, unknown>, b: Record<string, unknown>, prefix: string): void => {
    for (const key of Object.keys(b)) {
      const from = a[key];
      const to = b[key];
      const path = prefix + key;
      if (isPlainObject(from) && isPlainObject(to)) walk(from, to, `${path}.`);
      else if (JSON.stringify(from) !== JSON.stringify(to))
        changes.push({ path, from: from as ConfigValue, to: to as ConfigValue });
    }
  };
  walk(
    before as unknown as Record<string, unknown>,
    after as unknown as Record<string, unknown>,
    '',
  );
  return changes;
}

/** The running config with the patch applied, refused with the path of the first problem. */
export function applyControlPatch(
  current: ControlConfig,
  patch: ControlConfigPatch,
  site: Pick<Site, 'grid'>,
): Result<{ config: ControlConfig; changes: ConfigChange[] }> {
  const config = mergeControlConfig(current, patch);
  for (const field of FIXED_FIELDS)
    if (config[field] !== current[field])
      return fail({
        code: 'invalid_control_config',
        path: field,
        message: `set by the station (now ${current[field]}), not an operator setting`,
      });
  const valid = validateControlConfig(config, site);
  if (!valid.ok) return valid;
  return ok({ config, changes: diffControlConfig(current, config) });
}

/** One line per change for the ledger and the history: `soc.minPct: 10 → 15`. */
export function describeChanges(changes: readonly ConfigChange[]): string {
  return changes.map((c) => `${c.path}: ${valueText(c.from)} → ${valueText(c.to)}`).join('; ');
}

function valueText(value: ConfigValue): string {
  if (typeof value === 'number') return String(value);
  if (value.length === 0) return 'none';
  return value.map((v) => (typeof v === 'string' ? v : touText(v))).join(', ');
}

const hhmm = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

const touText = (w: TouWindow): string =>
  `${hhmm(w.startMinute)}–${hhmm(w.endMinute)} to ${w.targetSocPct} % at ${w.chargePowerW} W`;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function definedOnly(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
