// Control parameters in a real station with its SQLite file: control.setConfig applies,
// stores and records them; a refused config changes nothing; a restart resumes parameters
// and mode; a stored config the site no longer allows falls back to the defaults, in
// monitor, with a history entry and an alarm.
import { describe, expect, it } from 'vitest';
import type { Site } from '../../../core/site/site-types';
import { startRuntime } from '../../../electron/station/runtime';
import type { Station } from '../../../electron/station/station';
import { smallSite } from '../../core/site/site-fixture';
import { useTempDirs } from '../../support/temp-dir';
import { call, refusal } from './station-api-client';

const tempDir = useTempDirs('mg-control-settings-');
const site = (): Site => ({ ...smallSite(), devices: [] }); // import 60 kW, export 30 kW
const start = (dataDir: string, from?: Site): Promise<Station> =>
  startRuntime({ dataDir, site: from, snapshotIntervalMs: 100 });
const actions = async (station: Station) =>
  (await call(station, 'ledger.entries', { kind: 'control-action' })).map(
    (e) => e.payload as { actor: string; action: string; result: string; detail: string },
  );

describe('control parameters in station.db', () => {
  it('applies, refuses, records, and survives a restart with its mode', async () => {
    const dataDir = tempDir();
    let station = await start(dataDir, site());
    try {
      const first = await call(station, 'control.state', {});
      expect(first.mode).toBe('monitor'); // a site from a file, nothing stored yet
      expect(first.config.peakShaving.importLimitW).toBe(60_000);

      const patch = { peakShaving: { importLimitW: 45_000 }, soc: { minPct: 15 } };
      const preview = await call(station, 'control.previewConfig', { config: patch });
      expect(preview).toEqual({
        changes: [
          { path: 'peakShaving.importLimitW', from: 60_000, to: 45_000 },
          { path: 'soc.minPct', from: 10, to: 15 },
        ],
        problem: null,
      });
      expect((await call(station, 'control.state', {})).config).toEqual(first.config);

      await call(station, 'control.setMode', { mode: 'auto' });
      const applied = await call(station, 'control.setConfig', { config: patch });
      expect(applied.config.peakShaving).toEqual({ importLimitW: 45_000, marginW: 200 });
      expect(applied.config.soc.minPct).toBe(15);
      expect(applied.history[0]).toMatchObject({
        actor: 'local-operator',
        action: 'set-config',
        result: 'ok',
        detail: 'peakShaving.importLimitW: 60000 → 45000; soc.minPct: 10 → 15',
      });

      // Looser than the connection: refused whole, naming the field; nothing changes.
      const looser = { peakShaving: { importLimitW: 70_000 }, soc: { minPct: 20 } };
      expect(await call(station, 'control.previewConfig', { config: looser })).toMatchObject({
        changes: [],
        problem: { path: 'peakShaving.importLimitW' },
      });
      const refused = await refusal(station, 'control.setConfig', { config: looser });
      expect(refused.code).toBe('invalid_config');
      expect(refused.message).toMatch(
        /^peakShaving\.importLimitW: at most the connection's import limit \(60 kW\)/,
      );
      expect(
        await refusal(station, 'control.setConfig', { config: { peakShaving: { limit: 1 } } }),
      ).toMatchObject({ code: 'bad_request' });
      const after = await call(station, 'control.state', {});
      expect(after.config).toEqual(applied.config);
      expect(after.mode).toBe('auto');

      expect((await actions(station)).map((a) => [a.action, a.result])).toEqual([
        ['set-config', 'refused'],
        ['set-config', 'ok'],
        ['set-mode', 'ok'],
      ]);
    } finally {
      await station.stop();
    }

    // The same stored site again (a reboot after a power cut): parameters and auto resume.
    station = await start(dataDir);
    try {
      const resumed = await call(station, 'control.state', {});
      expect(resumed.mode).toBe('auto');
      expect(resumed.config.peakShaving.importLimitW).toBe(45_000);
      expect(resumed.config.soc.minPct).toBe(15);
      expect(resumed.settingsProblem).toBeNull();
      expect(resumed.history[0]).toMatchObject({
        actor: 'station',
        action: 'restore-settings',
        result: 'ok',
        detail: expect.stringMatching(/mode auto resumed \(site unchanged\)$/),
      });
      expect((await actions(station))[0]).toMatchObject({ action: 'restore-settings' });
    } finally {
      await station.stop();
    }
  }, 60_000);

  it('falls back to the defaults, in monitor, when the site no longer allows them', async () => {
    const dataDir = tempDir();
    let station = await start(dataDir, site());
    try {
      await call(station, 'control.setMode', { mode: 'auto' });
      await call(station, 'control.setConfig', {
        config: { peakShaving: { importLimitW: 45_000 } },
      });
    } finally {
      await station.stop();
    }
    // The connection's import limit was lowered to 40 kW in the site file.
    station = await start(dataDir, {
      ...site(),
      grid: { importLimitW: 40_000, exportLimitW: 30_000 },
    });
    try {
      const view = await call(station, 'control.state', {});
      expect(view.mode).toBe('monitor');
      expect(view.config.peakShaving.importLimitW).toBe(40_000);
      expect(view.settingsProblem).toMatch(/^peakShaving\.importLimitW: at most .*\(40 kW\)/);
      expect(view.history[0]).toMatchObject({ action: 'restore-settings', result: 'refused' });
      const settingsAlarm = async () =>
        (await call(station, 'alarms.list', {})).alarms.find((a) => a.kind === 'control-settings');
      await expect.poll(settingsAlarm, { timeout: 10_000 }).toBeDefined();
      const alarm = (await settingsAlarm())!;
      expect(alarm.message).toMatch(/stored control parameters were refused at start/);

      // Saving parameters stores them again and ends the condition.
      const saved = await call(station, 'control.setConfig', {
        config: { peakShaving: { importLimitW: 38_000 } },
      });
      expect(saved.settingsProblem).toBeNull();
    } finally {
      await station.stop();
    }
    station = await start(dataDir);
    try {
      const view = await call(station, 'control.state', {});
      expect(view.config.peakShaving.importLimitW).toBe(38_000);
      expect(view.mode).toBe('monitor'); // stored as it was when last saved
    } finally {
      await station.stop();
    }
  }, 60_000);
});
