// Devices without SunSpec through the station API: the register maps a form can offer
// (`profiles.list`), a profile device added and polled for real (an Eastron SDM630
// simulated from its own profile on loopback Modbus TCP), and the refusals of a profile
// the station lacks or one that does not serve the device's role, before anything is saved.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceInput, SiteState } from '../../../core/api/station-api';
import { SiteRepository } from '../../../core/site/site-repository';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import { loadProfiles } from '../../../drivers/profiles/profile-loader';
import { ModbusTcpServer } from '../../../drivers/sim/modbus-tcp-server';
import { ProfileDevice } from '../../../drivers/sim/profile-device';
import { PROFILES_DIR, startRuntime } from '../../../electron/station/runtime';
import type { Station } from '../../../electron/station/station';
import { smallSite } from '../../core/site/site-fixture';
import { useTempDirs } from '../../support/temp-dir';
import { call, refusal } from './station-api-client';

const tempDir = useTempDirs('mg-profiles-api-');
const server = new ModbusTcpServer({ unknownUnit: 'ignore' });
let port = 0;

beforeAll(async () => {
  const shipped = loadProfiles(PROFILES_DIR).profiles;
  const meter = new ProfileDevice(shipped.find((p) => p.id === 'eastron-sdm630')!);
  const set = meter.setAll({
    powerW: 1234.5,
    voltageV: 231.2,
    frequencyHz: 50.02,
    energyImportWh: 4_321_000,
    energyExportWh: 0,
  });
  if (!set.ok) throw new Error(set.error.message);
  server.setUnit(1, meter);
  port = await server.listen();
});
afterAll(() => server.close());

const hallMeter = (): DeviceInput => ({
  id: 'hall-meter',
  name: 'Hall meter',
  url: `modbus-tcp://127.0.0.1:${port}?unit=1`,
  role: 'household-meter',
  memberId: 'coop',
  pollIntervalMs: 200,
  profile: 'eastron-sdm630',
});

const state = (station: Station): Promise<SiteState> => call(station, 'site.state', {});

describe('device profiles through the station API', () => {
  it('lists the shipped profiles with their roles and default unit ids', async () => {
    const station = await startRuntime({ dataDir: tempDir(), site: smallSite() });
    try {
      const listed = await call(station, 'profiles.list', {});
      expect(listed.map((p) => p.id)).toEqual([
        'eastron-sdm120',
        'eastron-sdm630',
        'microgrid-load-switch',
        'victron-gx-system',
      ]);
      expect(listed.find((p) => p.id === 'victron-gx-system')).toEqual({
        id: 'victron-gx-system',
        manufacturer: 'Victron Energy',
        model: expect.stringMatching(/GX/),
        description: expect.stringMatching(/\w/),
        roles: ['battery'],
        defaultUnitId: 100,
      });
      expect(listed.find((p) => p.id === 'eastron-sdm630')?.roles).toContain('household-meter');
      expect(await refusal(station, 'profiles.list', { all: true })).toMatchObject({
        code: 'bad_request',
      });
    } finally {
      await station.stop();
    }
  });

  it('adds a profile device, polls it and counts it after its first good read', async () => {
    const station = await startRuntime({
      dataDir: tempDir(),
      site: { ...smallSite(), devices: [] },
      snapshotIntervalMs: 100,
    });
    try {
      const added = await call(station, 'devices.add', hallMeter());
      expect(added).toMatchObject({
        device: { profile: 'eastron-sdm630', enabled: false },
        verifying: true,
        identity: null,
      });
      await expect
        .poll(async () => (await state(station)).site.devices[0]?.enabled, { timeout: 5000 })
        .toBe(true);
      // The next snapshot (every 100 ms) carries the identity of that first good read.
      await expect
        .poll(async () => (await call(station, 'snapshot.get', {})).devices['hall-meter']?.state, {
          timeout: 5000,
        })
        .toBe('ok');
      const snapshot = await call(station, 'snapshot.get', {});
      expect(snapshot.devices['hall-meter']).toMatchObject({
        state: 'ok',
        identity: { manufacturer: 'Eastron', model: 'SDM630-Modbus V2' },
      });
      expect(snapshot.points['hall-meter.powerW']).toMatchObject({ value: 1234.5, stale: false });
      expect(snapshot.points['hall-meter.energyImportWh']?.value).toBe(4_321_000);
      expect(snapshot.members.find((m) => m.memberId === 'coop')?.netW).toBe(1234.5);

      // Another map of the same family: the device is checked again under it.
      const changed = await call(station, 'devices.update', {
        id: 'hall-meter',
        changes: { profile: 'eastron-sdm120' },
      });
      expect(changed).toMatchObject({ device: { profile: 'eastron-sdm120' }, verifying: true });
      await expect
        .poll(async () => (await state(station)).verifyingIds, { timeout: 5000 })
        .toEqual([]);
    } finally {
      await station.stop();
    }
  }, 30_000);

  it('refuses an unknown profile, or one for another role, before anything is saved', async () => {
    const dataDir = tempDir();
    const station = await startRuntime({
      dataDir,
      site: { ...smallSite(), devices: [] },
      snapshotIntervalMs: 100,
    });
    try {
      await call(station, 'devices.add', hallMeter());
      const before = JSON.stringify((await state(station)).site);
      const other = { ...hallMeter(), id: 'other', url: `modbus-tcp://127.0.0.1:${port}?unit=2` };
      const adds: [unknown, string, RegExp][] = [
        [{ ...other, profile: 'acme-9000' }, 'unknown_profile', /acme-9000.*eastron-sdm630/],
        // Nothing listens on port 1: the profile is refused before the station asks the field.
        [
          { ...other, url: 'modbus-tcp://127.0.0.1:1', profile: 'acme-9000' },
          'unknown_profile',
          /acme-9000/,
        ],
        // Not an id at all: the site schema says so, and no path is ever built from it.
        [{ ...other, profile: '../profiles/x' }, 'invalid_site', /profile: must be kebab-case/],
        [
          { ...other, profile: 'victron-gx-system' },
          'profile_role',
          /victron-gx-system.*serves battery, not household-meter/,
        ],
        [{ ...other, role: 'battery', profile: 'eastron-sdm630' }, 'profile_role', /not battery/],
        [{ ...other, profile: '' }, 'bad_request', /profile/],
        [{ ...other, profile: 42 }, 'bad_request', /profile/],
      ];
      for (const [params, code, message] of adds)
        expect(await refusal(station, 'devices.add', params)).toMatchObject({ code, message });

      const updates: [unknown, string, RegExp][] = [
        [{ profile: 'acme-9000' }, 'unknown_profile', /acme-9000/],
        [{ profile: 'victron-gx-system' }, 'profile_role', /not household-meter/],
        // A new role the device's map does not serve.
        [{ role: 'pv-inverter' }, 'profile_role', /eastron-sdm630.*not pv-inverter/],
        [{ role: 'pv-inverter', name: 'Renamed' }, 'profile_role', /not pv-inverter/],
      ];
      for (const [changes, code, message] of updates)
        expect(
          await refusal(station, 'devices.update', { id: 'hall-meter', changes }),
        ).toMatchObject({ code, message });
      expect(JSON.stringify((await state(station)).site)).toBe(before);
    } finally {
      await station.stop();
    }
    // The stored site holds only the accepted device, unchanged.
    const db = openSqlite(join(dataDir, 'station.db'), { synchronous: 'full' });
    const stored = new SiteRepository(db).load();
    db.close();
    expect(stored?.site.devices.map((d) => [d.id, d.role, d.profile, d.name])).toEqual([
      ['hall-meter', 'household-meter', 'eastron-sdm630', 'Hall meter'],
    ]);
  }, 30_000);
});
