// The control parameters form as data: every field shown in the operator's unit and read
// back exactly, decimal commas accepted, bad text named by field, refusals mapped to fields.
import { describe, expect, it } from 'vitest';
import en from '../../../resources/i18n/en.json';
import { defaultControlConfig } from '../../../core/control/control-config';
import { mergeControlConfig } from '../../../core/control/control-config-edit';
import {
  effectKey,
  fieldsOf,
  formFromConfig,
  groupKey,
  labelKey,
  PARAM_FIELDS,
  PARAM_GROUPS,
  parseDecimal,
  patchFromForm,
  shownValue,
  unitKey,
  WINDOWS_PATH,
} from '../../../renderer/lib/control-params';
import { smallSite } from '../../core/site/site-fixture';

const config = defaultControlConfig(smallSite());

describe('control parameters form', () => {
  it('has a label and an effect in words for every field, and names for groups and units', () => {
    const keys = new Set(Object.keys(en));
    for (const path of [...PARAM_FIELDS.map((f) => f.path), WINDOWS_PATH]) {
      expect(keys.has(labelKey(path)), labelKey(path)).toBe(true);
      expect(keys.has(effectKey(path)), effectKey(path)).toBe(true);
    }
    for (const group of PARAM_GROUPS) expect(keys.has(groupKey(group))).toBe(true);
    for (const f of PARAM_FIELDS) expect(keys.has(unitKey(f.unit))).toBe(true);
  });

  it('covers every number of the editable config', () => {
    const leaves = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'number'
          ? [prefix + k]
          : Array.isArray(v)
            ? []
            : leaves(v as object, `${prefix}${k}.`),
      );
    const editable = leaves(config).filter((p) => p !== 'cycleMs' && p !== 'rewriteFraction');
    expect(PARAM_FIELDS.map((f) => f.path).sort()).toEqual(editable.sort());
  });

  it('shows kW, seconds and % and reads them back to the same config', () => {
    const form = formFromConfig(config);
    expect(form.values['peakShaving.importLimitW']).toBe('60');
    expect(form.values['minWriteIntervalMs']).toBe('0.5');
    expect(form.values['rampWPerS']).toBe('2');
    expect(form.values['island.frequencyMinHz']).toBe('47.5');
    const back = patchFromForm(form);
    expect(back.ok && mergeControlConfig(config, back.patch)).toEqual(config);
  });

  it("turns the operator's text into station units (W, ms), windows included", () => {
    const form = formFromConfig(config);
    form.values['peakShaving.importLimitW'] = '8,5';
    form.values['selfConsumption.gridTargetW'] = '−0.25';
    form.windows.push({ start: '22:00', end: '06:00', targetPct: '80', powerKw: '5' });
    const result = patchFromForm(form);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const next = mergeControlConfig(config, result.patch);
    expect(next.peakShaving.importLimitW).toBe(8_500);
    expect(next.selfConsumption.gridTargetW).toBe(-250);
    expect(next.touCharging.windows).toEqual([
      { startMinute: 1320, endMinute: 360, targetSocPct: 80, chargePowerW: 5000 },
    ]);
  });

  it('names the fields that hold no number or time', () => {
    const form = formFromConfig(config);
    form.values['soc.minPct'] = 'ten';
    form.values['island.restoreStepS'] = '';
    form.windows.push({ start: '25:00', end: '06:00', targetPct: '80', powerKw: '5' });
    expect(patchFromForm(form)).toEqual({
      ok: false,
      invalid: ['soc.minPct', 'island.restoreStepS', 'touCharging.windows[0]'],
    });
    expect(parseDecimal('1e3')).toBeNull();
    expect(parseDecimal(' 12.5 ')).toBe(12.5);
  });

  it('maps a refusal path to its fields and shows station values in the field unit', () => {
    expect(fieldsOf('peakShaving.importLimitW')).toEqual(['peakShaving.importLimitW']);
    expect(fieldsOf('soc')).toEqual(['soc.minPct', 'soc.maxPct', 'soc.taperPct']);
    expect(fieldsOf('island.returnVoltage')).toEqual([
      'island.returnVoltageMinV',
      'island.returnVoltageMaxV',
    ]);
    expect(fieldsOf('touCharging.windows')).toEqual([WINDOWS_PATH]);
    expect(fieldsOf(undefined)).toEqual([]);
    expect(shownValue('peakShaving.importLimitW', 45_000)).toBe('45');
    expect(shownValue('minWriteIntervalMs', 250)).toBe('0.25');
  });
});
