// The control parameters form as plain data: which fields there are (grouped as the
// operator thinks of them, in the units people read: kW, %, s), what the inputs hold
// (strings, as inputs do), the config part the station receives, and a change from the
// station's preview as words. The station validates everything again; these only turn
// text into numbers and back.
import type { ControlConfig, ControlConfigPatch, TouWindow } from '../api/contract';
import type { MessageKey } from '../i18n/dictionaries';

export type ParamGroup = 'strategy' | 'grid' | 'battery' | 'island';
export type ParamUnit = 'kW' | 'kWps' | 'pct' | 's' | 'V' | 'Hz' | 'cycles';

export interface ParamField {
  /** Dotted path in ControlConfig, as the station names it in changes and refusals. */
  path: string;
  group: ParamGroup;
  unit: ParamUnit;
  /** The station's value is the shown one times this (kW → W, s → ms). */
  scale: number;
  /** The station takes whole numbers of its own unit (W, ms, s, cycles). */
  integer: boolean;
}

const field = (
  path: string,
  group: ParamGroup,
  unit: ParamUnit,
  scale = 1,
  integer = false,
): ParamField => ({ path, group, unit, scale, integer });

export const PARAM_GROUPS: readonly ParamGroup[] = ['strategy', 'grid', 'battery', 'island'];

export const PARAM_FIELDS: readonly ParamField[] = [
  field('selfConsumption.gridTargetW', 'strategy', 'kW', 1000, true),
  field('selfConsumption.minSocPct', 'strategy', 'pct'),
  field('outageReserve.reserveSocPct', 'strategy', 'pct'),
  field('peakShaving.importLimitW', 'grid', 'kW', 1000, true),
  field('peakShaving.marginW', 'grid', 'kW', 1000, true),
  field('exportLimit.exportLimitW', 'grid', 'kW', 1000, true),
  field('exportLimit.marginW', 'grid', 'kW', 1000, true),
  field('soc.minPct', 'battery', 'pct'),
  field('soc.maxPct', 'battery', 'pct'),
  field('soc.taperPct', 'battery', 'pct'),
  field('rampWPerS', 'battery', 'kWps', 1000),
  field('minWriteIntervalMs', 'battery', 's', 1000, true),
  field('setpointLifetimeS', 'battery', 's', 1, true),
  field('island.voltageMinV', 'island', 'V'),
  field('island.voltageMaxV', 'island', 'V'),
  field('island.frequencyMinHz', 'island', 'Hz'),
  field('island.frequencyMaxHz', 'island', 'Hz'),
  field('island.returnVoltageMinV', 'island', 'V'),
  field('island.returnVoltageMaxV', 'island', 'V'),
  field('island.returnFrequencyMinHz', 'island', 'Hz'),
  field('island.returnFrequencyMaxHz', 'island', 'Hz'),
  field('island.lossConfirmCycles', 'island', 'cycles', 1, true),
  field('island.enterServiceDelayS', 'island', 's'),
  field('island.restoreStepS', 'island', 's'),
  field('island.shedSocPct', 'island', 'pct'),
  field('island.criticalShedSocPct', 'island', 'pct'),
  field('island.restoreHysteresisPct', 'island', 'pct'),
  field('island.powerMarginPct', 'island', 'pct'),
  field('island.pvCurtailSocPct', 'island', 'pct'),
];

export const WINDOWS_PATH = 'touCharging.windows';

export const labelKey = (path: string): MessageKey => `control.param.${path}` as MessageKey;
export const effectKey = (path: string): MessageKey => `control.param.${path}.effect` as MessageKey;
export const groupKey = (group: ParamGroup): MessageKey => `control.params.${group}` as MessageKey;
export const unitKey = (unit: ParamUnit): MessageKey =>
  unit === 'kW' ? 'unit.kW' : (`control.unit.${unit}` as MessageKey);

/** A cheap-tariff window as the inputs hold it: times "HH:MM", target %, power kW. */
export interface WindowForm {
  start: string;
  end: string;
  targetPct: string;
  powerKw: string;
}

export interface ParamsForm {
  values: Record<string, string>;
  windows: WindowForm[];
}

export function formFromConfig(config: ControlConfig): ParamsForm {
  const values: Record<string, string> = {};
  for (const f of PARAM_FIELDS) values[f.path] = plain(valueAt(config, f.path) / f.scale);
  return { values, windows: config.touCharging.windows.map(windowForm) };
}

export const newWindow = (): WindowForm => ({
  start: '00:00',
  end: '06:00',
  targetPct: '80',
  powerKw: '5',
});

export type PatchResult =
  | { ok: true; patch: ControlConfigPatch }
  /** Paths (fields, or `touCharging.windows[i]`) whose text is not a number or time. */
  | { ok: false; invalid: string[] };

/** Every field of the form as a config part (all of it: the station lists what changed). */
export function patchFromForm(form: ParamsForm): PatchResult {
  const invalid: string[] = [];
  const patch: Record<string, unknown> = {};
  for (const f of PARAM_FIELDS) {
    const shown = parseDecimal(form.values[f.path] ?? '');
    if (shown === null) {
      invalid.push(f.path);
      continue;
    }
    const value = f.integer ? Math.round(shown * f.scale) : roundTiny(shown * f.scale);
    const [head, leaf] = f.path.split('.') as [string, string | undefined];
    if (leaf === undefined) patch[head] = value;
    else patch[head] = { ...(patch[head] as object | undefined), [leaf]: value };
  }
  const windows: TouWindow[] = [];
  form.windows.forEach((w, i) => {
    const startMinute = parseTime(w.start);
    const endMinute = parseTime(w.end);
    const targetSocPct = parseDecimal(w.targetPct);
    const powerKw = parseDecimal(w.powerKw);
    if (startMinute === null || endMinute === null || targetSocPct === null || powerKw === null)
      invalid.push(`${WINDOWS_PATH}[${i}]`);
    else
      windows.push({
        startMinute,
        endMinute,
        targetSocPct,
        chargePowerW: Math.round(powerKw * 1000),
      });
  });
  patch.touCharging = { windows };
  if (invalid.length > 0) return { ok: false, invalid };
  return { ok: true, patch: patch as ControlConfigPatch };
}

/** The fields a refusal's path points at: `soc` names both ends of the window, for one. */
export function fieldsOf(problemPath: string | undefined): string[] {
  if (!problemPath) return [];
  const all = [...PARAM_FIELDS.map((f) => f.path), WINDOWS_PATH];
  return all.filter((p) => p === problemPath || p.startsWith(problemPath));
}

export const fieldOf = (path: string): ParamField | undefined =>
  PARAM_FIELDS.find((f) => f.path === path);

/** A station value in the field's shown unit, without the unit: "60", "0.5". */
export function shownValue(path: string, value: number): string {
  return plain(value / (fieldOf(path)?.scale ?? 1));
}

export const timeText = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

function windowForm(w: TouWindow): WindowForm {
  return {
    start: timeText(w.startMinute),
    end: timeText(w.endMinute),
    targetPct: plain(w.targetSocPct),
    powerKw: plain(w.chargePowerW / 1000),
  };
}

function valueAt(config: ControlConfig, path: string): number {
  let value: unknown = config;
  for (const key of path.split('.')) value = (value as Record<string, unknown>)[key];
  return typeof value === 'number' ? value : NaN;
}

/** Accepts "8,5" as well as "8.5": the decimal comma is common where microgrids are built. */
export function parseDecimal(text: string): number | null {
  const trimmed = text.trim().replace(',', '.');
  if (!/^[-−]?\d+(\.\d*)?$|^[-−]?\.\d+$/.test(trimmed)) return null;
  const value = Number(trimmed.replace('−', '-'));
  return Number.isFinite(value) ? value : null;
}

function parseTime(text: string): number | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

/** Plain digits for an input (no grouping, a dot): what parseDecimal reads back exactly. */
const plain = (value: number): string => String(roundTiny(value));

/** Drops float noise such as 0.30000000000000004 from a division by 1000. */
const roundTiny = (value: number): number => Math.round(value * 1e6) / 1e6;
