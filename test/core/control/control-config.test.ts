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
});
