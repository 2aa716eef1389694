// What control.setConfig accepts on the wire: strict objects, bounded numbers.
import { describe, expect, it } from 'vitest';
import { controlConfigPatchSchema } from '../../../core/api/control-schema';
import { defaultControlConfig } from '../../../core/control/control-config';
import { SITE } from '../control/support';

const accepts = (value: unknown) => controlConfigPatchSchema.safeParse(value).success;

describe('control config schema', () => {
  it('accepts a whole config as control.state shows it, and any part of it', () => {
    expect(accepts(defaultControlConfig(SITE))).toBe(true);
    expect(accepts({})).toBe(true);
    expect(accepts({ peakShaving: { importLimitW: 8000 } })).toBe(true);
    expect(accepts({ island: { shedSocPct: 40 } })).toBe(true);
  });

  it('refuses unknown fields, wrong types and numbers outside what a site could mean', () => {
    expect(accepts({ peakShaving: { importLimitKW: 8 } })).toBe(false);
    expect(accepts({ gridLimit: 1 })).toBe(false);
    expect(accepts({ peakShaving: { importLimitW: '8000' } })).toBe(false);
    expect(accepts({ peakShaving: { importLimitW: -1 } })).toBe(false);
    expect(accepts({ peakShaving: { importLimitW: Infinity } })).toBe(false);
    expect(accepts({ soc: { minPct: 101 } })).toBe(false);
    expect(accepts({ rampWPerS: 0 })).toBe(false);
    expect(accepts({ setpointLifetimeS: 7200 })).toBe(false);
    expect(accepts({ island: { lossConfirmCycles: 3 } })).toBe(false);
    expect(accepts({ strategies: ['peak-shaving', 'peak-shaving'] })).toBe(false);
    const window = { startMinute: 0, endMinute: 60, targetSocPct: 80, chargePowerW: 1000 };
    expect(accepts({ touCharging: { windows: [window] } })).toBe(true);
    expect(accepts({ touCharging: { windows: [{ ...window, startMinute: 1440 }] } })).toBe(false);
    expect(accepts({ touCharging: { windows: Array(13).fill(window) } })).toBe(false);
  });
});
