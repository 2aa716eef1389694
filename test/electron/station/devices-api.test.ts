// Adding, changing and removing devices at run time, against the real station (runtime,
// SQLite, poll loops) and two copies of the demo's simulated devices on loopback: two
// copies, because the same serial number at a second endpoint is the duplicate to refuse.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceInput, SiteState } from '../../../core/api/station-api';
import { join } from 'node:path';
import { SiteRepository } from '../../../core/site/site-repository';
import { parseSiteJson } from '../../../core/site/site-schema';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import type { DemoMicrogrid } from '../../../drivers/sim/demo-microgrid/demo-microgrid';
import { startRuntime } from '../../../electron/station/runtime';
import type { Station } from '../../../electron/station/station';
import { smallSite } from '../../core/site/site-fixture';
import { startPausedDemo } from '../../support/demo';
import { useTempDirs } from '../../support/temp-dir';
import { call, collect, refusal } from './station-api-client';

const tempDir = useTempDirs('mg-devices-api-');
let demoA: DemoMicrogrid;
let demoB: DemoMicrogrid;

beforeAll(async () => {
  [demoA, demoB] = await Promise.all([
    startPausedDemo(Date.UTC(2026, 5, 21, 10)),
    startPausedDemo(Date.UTC(2026, 5, 21, 10)),
  ]);
});
afterAll(async () => {
  await demoA?.stop();
  await demoB?.stop();
});

const urlOf = (demo: DemoMicrogrid, id: string): string =>
  demo.site.devices.find((d) => d.id === id)!.url;

const roofPv = (): DeviceInput => ({
  id: 'roof-pv',
  name: 'Roof PV',
  url: urlOf(demoA, 'pv-02'),
  role: 'pv-inverter',
  memberId: 'h1',
  pollIntervalMs: 200,
});

async function emptySiteStation(dataDir: string): Promise<Station> {
  return startRuntime({ dataDir, site: { ...smallSite(), devices: [] }, snapshotIntervalMs: 100 });
}

const state = (station: Station): Promise<SiteState> => call(station, 'site.state', {});

describe('devices at run time (real station, simulated devices)', () => {
  it('identifies a new device, keeps it out of the totals until its first good read, then enables it', async () => {
    const dataDir = tempDir();
    const station = await emptySiteStation(dataDir);
    try {
      const events = collect(station, 'site');
      const added = await call(station, 'devices.add', roofPv());
      expect(added.identity?.serialNumber).toBe('SIM-pv-02');
      expect(added.device.enabled).toBe(false);
      expect(added.verifying).toBe(true);
      await expect
        .poll(async () => (await state(station)).site.devices[0]?.enabled, { timeout: 5000 })
        .toBe(true);
      expect((await state(station)).verifyingIds).toEqual([]);
      expect(events.length).toBeGreaterThanOrEqual(2);
      await expect
        .poll(async () => (await call(station, 'snapshot.get', {})).flows.pvW, { timeout: 5000 })
        .toBeGreaterThan(0);
      const snapshot = await call(station, 'snapshot.get', {});
      expect(snapshot.devices['roof-pv']).toMatchObject({ state: 'ok' });
      expect(snapshot.points['roof-pv.powerW']?.value).toBeGreaterThan(0);
    } finally {
      await station.stop();
    }
    // Stored through the repository: what `microgrid site export` writes is a valid site.
    const db = openSqlite(join(dataDir, 'station.db'), { synchronous: 'full' });
    const stored = new SiteRepository(db).load();
    db.close();
    expect(stored?.source).toBe('file');
    const site = parseSiteJson(JSON.stringify(stored?.site));
    expect(site.ok && site.value.devices.map((d) => [d.id, d.enabled])).toEqual([
      ['roof-pv', true],
    ]);
  }, 30_000);

  it('refuses duplicates and bad input with typed errors and changes nothing', async () => {
    const station = await emptySiteStation(tempDir());
    try {
      await call(station, 'devices.add', roofPv());
      const before = JSON.stringify((await state(station)).site);
      // Same serial number at another endpoint (the second simulator).
      expect(
        await refusal(station, 'devices.add', {
          ...roofPv(),
          id: 'pv-b',
          url: urlOf(demoB, 'pv-02'),
        }),
      ).toMatchObject({ code: 'duplicate', message: expect.stringMatching(/SIM-pv-02.*roof-pv/) });
      expect(await refusal(station, 'devices.add', { ...roofPv(), id: 'pv-b' })).toMatchObject({
        code: 'duplicate',
      });
      expect(
        await refusal(station, 'devices.add', { ...roofPv(), url: urlOf(demoA, 'pv-03') }),
      ).toMatchObject({ code: 'duplicate', message: expect.stringMatching(/roof-pv/) });
      const other = { ...roofPv(), id: 'pv-c', url: urlOf(demoA, 'pv-03') };
      const cases: [unknown, string, RegExp][] = [
        [{ ...other, pollIntervalMs: 5 }, 'invalid_site', /pollIntervalMs/],
        [{ ...other, memberId: 'nobody' }, 'invalid_site', /memberId: unknown member/],
        [{ ...other, id: 'Not Kebab' }, 'invalid_site', /kebab-case/],
        [{ ...other, url: 'http://example.org' }, 'invalid_site', /url: unsupported scheme/],
        [{ ...other, role: 'toaster' }, 'bad_request', /role/],
        [{ ...other, admin: true }, 'bad_request', /admin/],
        [{ ...other, pollIntervalMs: '1000' }, 'bad_request', /pollIntervalMs/],
        [{ ...other, url: 'modbus-tcp://127.0.0.1:1?unit=1' }, 'device_error', /identify/],
        [undefined, 'bad_request', /./],
      ];
      for (const [params, code, message] of cases)
        expect(await refusal(station, 'devices.add', params)).toMatchObject({ code, message });
      expect(await refusal(station, 'devices.remove', { id: 'ghost' })).toMatchObject({
        code: 'not_found',
      });
      expect(
        await refusal(station, 'devices.update', { id: 'roof-pv', changes: {} }),
      ).toMatchObject({ code: 'bad_request' });
      expect(JSON.stringify((await state(station)).site)).toBe(before);
      // Moving a device onto another device's serial number is refused as well.
      await call(station, 'devices.add', other);
      const withTwo = JSON.stringify((await state(station)).site);
      expect(
        await refusal(station, 'devices.update', {
          id: 'roof-pv',
          changes: { url: urlOf(demoB, 'pv-03') },
        }),
      ).toMatchObject({ code: 'duplicate', message: expect.stringMatching(/pv-c/) });
      expect(JSON.stringify((await state(station)).site)).toBe(withTwo);
    } finally {
      await station.stop();
    }
  }, 30_000);

  it('updates, disables, enables (verifying again) and removes a device', async () => {
    const station = await emptySiteStation(tempDir());
    try {
      await call(station, 'devices.add', roofPv());
      await expect
        .poll(async () => (await state(station)).verifyingIds, { timeout: 5000 })
        .toEqual([]);
      const renamed = await call(station, 'devices.update', {
        id: 'roof-pv',
        changes: { name: 'Roof east', pollIntervalMs: 300 },
      });
      expect(renamed).toMatchObject({
        device: { name: 'Roof east', pollIntervalMs: 300, enabled: true },
        verifying: false,
      });

      const off = await call(station, 'devices.enable', { id: 'roof-pv', enabled: false });
      expect(off).toMatchObject({ device: { enabled: false }, verifying: false });
      await expect
        .poll(async () => (await call(station, 'snapshot.get', {})).devices['roof-pv']?.state)
        .toBe('disabled');
      expect((await call(station, 'snapshot.get', {})).flows.pvW).toBe(0);

      const on = await call(station, 'devices.enable', { id: 'roof-pv', enabled: true });
      expect(on).toMatchObject({ device: { enabled: false }, verifying: true });
      await expect
        .poll(async () => (await state(station)).site.devices[0]?.enabled, { timeout: 5000 })
        .toBe(true);

      // A new endpoint may be another device: identified again, verified again.
      const moved = await call(station, 'devices.update', {
        id: 'roof-pv',
        changes: { url: urlOf(demoA, 'pv-03') },
      });
      expect(moved).toMatchObject({ verifying: true, identity: { serialNumber: 'SIM-pv-03' } });
      await expect
        .poll(async () => (await state(station)).verifyingIds, { timeout: 5000 })
        .toEqual([]);

      expect(await call(station, 'devices.remove', { id: 'roof-pv' })).toEqual({ id: 'roof-pv' });
      expect((await state(station)).site.devices).toEqual([]);
      const snapshot = await call(station, 'snapshot.get', {});
      expect(Object.keys(snapshot.points).filter((k) => k.startsWith('roof-pv.'))).toEqual([]);
      expect(snapshot.devices['roof-pv']).toBeUndefined();
    } finally {
      await station.stop();
    }
  }, 30_000);

  it('answers garbage sent to any commissioning method with a typed error, changing nothing', async () => {
    const station = await emptySiteStation(tempDir());
    try {
      await call(station, 'devices.add', roofPv());
      const before = JSON.stringify((await state(station)).site);
      const methods = ['devices.add', 'devices.update', 'devices.remove', 'devices.enable'];
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...methods), fc.anything(), async (method, params) => {
          const reply = await station.dispatch({ type: 'request', id: 1, method, params });
          expect(reply).toMatchObject({ type: 'response', ok: false });
        }),
        { numRuns: 300 },
      );
      expect(JSON.stringify((await state(station)).site)).toBe(before);
      expect((await call(station, 'station.health', {})).siteId).toBe('test-site');
    } finally {
      await station.stop();
    }
  });
});
