// Editing control parameters: a partial config merged onto the running one, the field-level
// difference for the confirmation and the ledger, refusals with the field's path.
import { describe, expect, it } from 'vitest';
import { defaultControlConfig } from '../../../core/control/control-config';
import {
  applyControlPatch,
  describeChanges,
  diffControlConfig,
  editableConfig,
  mergeControlConfig,
} from '../../../core/control/control-config-edit';
import { SITE } from './support';

const base = defaultControlConfig(SITE);

describe('mergeControlConfig', () => {
  it('changes only the fields given; objects may be partial, lists are whole', () => {
    const merged = mergeControlConfig(base, {
      peakShaving: { importLimitW: 8_000 },
      island: { shedSocPct: 35 },
      strategies: ['peak-shaving'],
    });
    expect(merged.peakShaving).toEqual({ importLimitW: 8_000, marginW: 200 });
    expect(merged.island).toEqual({ ...base.island, shedSocPct: 35 });
    expect(merged.strategies).toEqual(['peak-shaving']);
    expect(merged.soc).toBe(base.soc);
    expect(base.peakShaving.importLimitW).toBe(10_000); // the running config is untouched
  });

  it('keeps a field sent as undefined (possible over IPC, which carries undefined)', () => {
    const merged = mergeControlConfig(base, {
      soc: { minPct: undefined, maxPct: 90 },
      rampWPerS: undefined,
    });
    expect(merged.soc).toEqual({ ...base.soc, maxPct: 90 });
    expect(merged.rampWPerS).toBe(base.rampWPerS);
  });
});

describe('diffControlConfig', () => {
  it('lists every changed leaf by its path, lists as a whole, nothing for equal configs', () => {
    const windows = [{ startMinute: 1320, endMinute: 360, targetSocPct: 80, chargePowerW: 5000 }];
    const after = mergeControlConfig(base, {
      peakShaving: { importLimitW: 8_000 },
      touCharging: { windows },
      island: { enterServiceDelayS: 600 },
    });
    expect(diffControlConfig(base, after)).toEqual([
      { path: 'peakShaving.importLimitW', from: 10_000, to: 8_000 },
      { path: 'touCharging.windows', from: [], to: windows },
      { path: 'island.enterServiceDelayS', from: 300, to: 600 },
    ]);
    expect(diffControlConfig(base, structuredClone(base))).toEqual([]);
  });

  it('says each change in one line for the ledger', () => {
    const after = mergeControlConfig(base, {
      soc: { minPct: 15 },
      strategies: ['peak-shaving', 'export-limit'],
      touCharging: {
        windows: [{ startMinute: 1320, endMinute: 360, targetSocPct: 80, chargePowerW: 5000 }],
      },
    });
    expect(describeChanges(diffControlConfig(base, after))).toBe(
      'strategies: self-consumption, peak-shaving, export-limit, outage-reserve → peak-shaving, export-limit; ' +
        'touCharging.windows: none → 22:00–06:00 to 80 % at 5000 W; soc.minPct: 10 → 15',
    );
  });
});

describe('applyControlPatch', () => {
  it('answers the new config and its changes', () => {
    const r = applyControlPatch(base, { exportLimit: { exportLimitW: 4_000 } }, SITE);
    expect(r.ok && r.value.changes).toEqual([
      { path: 'exportLimit.exportLimitW', from: 5_000, to: 4_000 },
    ]);
    expect(r.ok && r.value.config.exportLimit.exportLimitW).toBe(4_000);
  });

  it('takes back a whole config as control.state shows it, station fields unchanged', () => {
    const whole = structuredClone(base);
    whole.soc.maxPct = 90;
    const r = applyControlPatch(base, whole, SITE);
    expect(r.ok && r.value.changes).toEqual([{ path: 'soc.maxPct', from: 95, to: 90 }]);
  });

  it('refuses with the path of the problem: looser than the site, inconsistent, station fields', () => {
    const path = (patch: Parameters<typeof applyControlPatch>[1]) => {
      const r = applyControlPatch(base, patch, SITE);
      return r.ok ? null : r.error.path;
    };
    expect(path({ peakShaving: { importLimitW: 12_000 } })).toBe('peakShaving.importLimitW');
    expect(path({ soc: { minPct: 96 } })).toBe('soc');
    expect(path({ island: { returnVoltageMinV: 190 } })).toBe('island.returnVoltage');
    expect(path({ cycleMs: 500 })).toBe('cycleMs');
    expect(path({ rewriteFraction: 0.9 })).toBe('rewriteFraction');
  });

  it('keeps the station fields out of what is stored', () => {
    expect(Object.keys(editableConfig(base))).not.toContain('cycleMs');
    expect(Object.keys(editableConfig(base))).not.toContain('rewriteFraction');
    expect(editableConfig(base).peakShaving).toEqual(base.peakShaving);
  });
});
