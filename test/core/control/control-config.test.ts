// Configuration defaults from the site and refusal of unsafe settings.
import { describe, expect, it } from 'vitest';
import {
  defaultControlConfig,
  validateControlConfig,
  type ControlConfig,
} from '../../../core/control/control-config';
import { SITE } from './support';

const base = defaultControlConfig(SITE);
const problemPath = (c: ControlConfig) => {
  const r = validateControlConfig(c);
  return r.ok ? null : r.error.path;
};

describe('control config', () => {
  it('takes the grid limits from the site (import 10 000 W, export 5 000 W) and is valid', () => {
    expect(base.peakShaving.importLimitW).toBe(10_000);
    expect(base.exportLimit.exportLimitW).toBe(5_000);
    expect(base.island.enterServiceDelayS).toBe(300);
    expect(validateControlConfig(base).ok).toBe(true);
  });

  it('refuses settings the envelope or the island machine could not honour', () => {
    expect(problemPath({ ...base, soc: { minPct: 60, maxPct: 40, taperPct: 0 } })).toBe('soc');
    expect(problemPath({ ...base, rampWPerS: Infinity })).toBe('rampWPerS');
    expect(problemPath({ ...base, rampWPerS: 0 })).toBe('rampWPerS');
    // Held longer than the rewrite time, a setpoint could expire while held.
    expect(problemPath({ ...base, minWriteIntervalMs: 15_000 })).toBe('minWriteIntervalMs');
    expect(problemPath({ ...base, strategies: ['self-consumption', 'self-consumption'] })).toBe(
      'strategies',
    );
    expect(problemPath({ ...base, island: { ...base.island, lossConfirmCycles: 3 } })).toBe(
      'island.lossConfirmCycles',
    );
    expect(
      problemPath({ ...base, island: { ...base.island, criticalShedSocPct: 40, shedSocPct: 30 } }),
    ).toBe('island.criticalShedSocPct');
  });

  it('refuses a TOU window that starts when it ends (it would never be active)', () => {
    const windows = [{ startMinute: 60, endMinute: 60, targetSocPct: 80, chargePowerW: 3000 }];
    expect(problemPath({ ...base, touCharging: { windows } })).toBe('touCharging.windows');
  });
});

describe('control config against the grid connection (import 10 kW, export 5 kW)', () => {
  const withSite = (c: ControlConfig) => {
    const r = validateControlConfig(c, SITE);
    return r.ok ? null : r.error;
  };

  it('allows limits tighter than the connection', () => {
    expect(withSite(base)).toBeNull();
    expect(
      withSite({
        ...base,
        peakShaving: { importLimitW: 8_000, marginW: 200 },
        exportLimit: { exportLimitW: 0, marginW: 0 },
      }),
    ).toBeNull();
  });

  it('refuses limits looser than the connection, naming the field and the limit', () => {
    expect(withSite({ ...base, peakShaving: { importLimitW: 10_001, marginW: 200 } })).toEqual({
      code: 'invalid_control_config',
      path: 'peakShaving.importLimitW',
      message:
        "at most the connection's import limit (10 kW): a tighter limit is allowed, a looser one never",
    });
    expect(withSite({ ...base, exportLimit: { exportLimitW: 6_000, marginW: 200 } })?.path).toBe(
      'exportLimit.exportLimitW',
    );
    // Without the site only the config's own consistency is checked.
    expect(
      validateControlConfig({ ...base, peakShaving: { importLimitW: 10_001, marginW: 200 } }).ok,
    ).toBe(true);
  });

  it('refuses margins above their limit and a grid target outside the limits', () => {
    expect(withSite({ ...base, peakShaving: { importLimitW: 1_000, marginW: 1_500 } })?.path).toBe(
      'peakShaving.marginW',
    );
    expect(withSite({ ...base, exportLimit: { exportLimitW: 100, marginW: 200 } })?.path).toBe(
      'exportLimit.marginW',
    );
    expect(
      withSite({ ...base, selfConsumption: { gridTargetW: 12_000, minSocPct: 0 } })?.path,
    ).toBe('selfConsumption.gridTargetW');
    expect(
      withSite({ ...base, selfConsumption: { gridTargetW: -5_000, minSocPct: 0 } }),
    ).toBeNull();
    expect(withSite({ ...base, selfConsumption: { gridTargetW: 0, minSocPct: 60 } })).toBeNull();
    expect(withSite({ ...base, selfConsumption: { gridTargetW: 0, minSocPct: 101 } })?.path).toBe(
      'selfConsumption.minSocPct',
    );
    expect(
      withSite({ ...base, selfConsumption: { gridTargetW: -5_001, minSocPct: 0 } })?.path,
    ).toBe('selfConsumption.gridTargetW');
  });
});
