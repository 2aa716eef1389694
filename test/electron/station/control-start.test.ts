// Which parameters and mode control starts with, from what station.db holds: stored auto
// resumes only on the unchanged site with parameters that still validate; the demo always
// starts in auto.
import { describe, expect, it } from 'vitest';
import { defaultControlConfig } from '../../../core/control/control-config';
import { editableConfig } from '../../../core/control/control-config-edit';
import type { StoredControlSettings } from '../../../core/control/control-settings-repository';
import { ControlSettingsKeeper } from '../../../electron/station/control-settings';
import { startSettings, type StartInput } from '../../../electron/station/control-start';
import { smallSite } from '../../core/site/site-fixture';

const site = smallSite(); // import 60 kW, export 30 kW
const defaults = defaultControlConfig(site);
const tighter = { ...defaults, peakShaving: { importLimitW: 45_000, marginW: 500 } };
const stored = (over: Partial<StoredControlSettings> = {}): StoredControlSettings => ({
  siteId: site.id,
  config: editableConfig(tighter),
  mode: 'auto',
  siteHash: 'hash-1',
  updatedAtMs: Date.UTC(2026, 10, 26, 12),
  ...over,
});
const input = (over: Partial<StartInput> = {}): StartInput => ({
  stored: stored(),
  site,
  siteHash: 'hash-1',
  defaultMode: 'monitor',
  resumeMode: true,
  ...over,
});

describe('startSettings', () => {
  it('without stored settings: defaults and the default mode, nothing to report', () => {
    expect(startSettings(input({ stored: null }))).toEqual({
      config: defaults,
      mode: 'monitor',
      problem: null,
      detail: null,
    });
    expect(startSettings(input({ stored: null, defaultMode: 'auto' })).mode).toBe('auto');
  });

  it('resumes stored parameters and auto on the unchanged site', () => {
    const start = startSettings(input());
    expect(start.config).toEqual(tighter);
    expect(start.mode).toBe('auto');
    expect(start.problem).toBeNull();
    expect(start.detail).toBe(
      'parameters as saved 2026-11-26T12:00:00.000Z; mode auto resumed (site unchanged)',
    );
  });

  it('starts in monitor when the site changed while the station was off', () => {
    const start = startSettings(input({ siteHash: 'hash-2' }));
    expect(start.config).toEqual(tighter); // the parameters still fit the site
    expect(start.mode).toBe('monitor');
    expect(start.detail).toMatch(/auto not resumed: the site changed/);
  });

  it('keeps a stored monitor, and the demo always starts in its default mode', () => {
    expect(startSettings(input({ stored: stored({ mode: 'monitor' }) })).mode).toBe('monitor');
    const demo = startSettings(
      input({ stored: stored({ mode: 'monitor' }), defaultMode: 'auto', resumeMode: false }),
    );
    expect(demo.mode).toBe('auto');
    expect(demo.config).toEqual(tighter);
  });

  it('falls back to defaults and monitor when the stored parameters exceed the site now', () => {
    const lowered = { ...site, grid: { importLimitW: 40_000, exportLimitW: 30_000 } };
    const start = startSettings(input({ site: lowered }));
    expect(start.config).toEqual(defaultControlConfig(lowered));
    expect(start.mode).toBe('monitor');
    expect(start.problem).toBe(
      "peakShaving.importLimitW: at most the connection's import limit (40 kW): a tighter limit is allowed, a looser one never",
    );
    expect(start.detail).toMatch(
      /^stored parameters refused \(peakShaving\.importLimitW: .*\); defaults in force; mode monitor \(auto not resumed: parameters refused\)$/,
    );
  });

  it('falls back to defaults when the stored text is unreadable or not a config', () => {
    expect(startSettings(input({ stored: stored({ config: undefined }) })).problem).toMatch(
      /^unreadable/,
    );
    const odd = startSettings(input({ stored: stored({ config: { soc: { minPct: 'ten' } } }) }));
    expect(odd.problem).toMatch(/^unreadable: soc\.minPct: /);
    expect(odd.config).toEqual(defaults);
  });

  it('takes a partial stored config onto the defaults (fields added by a later version)', () => {
    const start = startSettings(input({ stored: stored({ config: { soc: { minPct: 20 } } }) }));
    expect(start.config).toEqual({ ...defaults, soc: { ...defaults.soc, minPct: 20 } });
    expect(start.problem).toBeNull();
  });
});

describe('ControlSettingsKeeper', () => {
  const memory = () => {
    const rows: StoredControlSettings[] = [];
    return {
      rows,
      store: {
        load: (id: string) => rows.findLast((r) => r.siteId === id) ?? null,
        save: (r: StoredControlSettings) => void rows.push(r),
      },
    };
  };

  it('stores the editable config with the site hash, and follows site changes once stored', () => {
    const { rows, store } = memory();
    const keeper = new ControlSettingsKeeper(store, site);
    expect(keeper.load()).toBeNull();
    keeper.follow({ ...site, name: 'renamed' }, defaults, 'auto', 1);
    expect(rows).toEqual([]); // nothing stored yet: nothing to follow
    keeper.save(defaults, 'auto', 2);
    expect(rows[0]).toMatchObject({ siteId: site.id, mode: 'auto', updatedAtMs: 2 });
    expect(rows[0]!.config).toEqual(editableConfig(defaults));
    const changed = { ...site, devices: [] };
    keeper.follow(changed, defaults, 'auto', 3);
    keeper.follow(changed, defaults, 'auto', 4); // the same site object: no write
    expect(rows.map((r) => r.updatedAtMs)).toEqual([2, 3]);
    expect(rows[1]!.siteHash).toBe(keeper.siteHash);
    expect(rows[1]!.siteHash).not.toBe(rows[0]!.siteHash);
  });
});
