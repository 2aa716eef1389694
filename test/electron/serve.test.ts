import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthInfo, HistorySeries } from '../../core/api/station-api';
import type { Snapshot } from '../../core/points/snapshot';
import {
  getJson,
  PROJECT_ROOT,
  startServe,
  waitFor,
  type ServedStation,
} from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

// The whole station as a user runs it: `microgrid serve` with the built-in demo, its
// simulated devices on loopback Modbus TCP, polled for real, answering the HTTP API.
const tempDir = useTempDirs('mg-serve-');
let running: ServedStation | undefined;
afterEach(async () => {
  await running?.stop('SIGKILL');
  running = undefined;
});

describe('microgrid serve (demo)', () => {
  it('polls the demo devices, serves live data and history, and stops cleanly', async () => {
    expect(
      existsSync(join(PROJECT_ROOT, 'out/renderer/index.html')),
      'run npm run build first',
    ).toBe(true);
    const dataDir = tempDir();
    running = await startServe(['--data-dir', dataDir, '--speed', '60']);
    const base = running.info.url;
    expect(running.info).toMatchObject({ dataDir, site: 'riverside-coop', demo: true });
    // Health is public; the rest of the API needs a session (host-auth tests).
    const cookie = await running.adminCookie();

    const health = await waitFor(
      async () => {
        const h = await getJson<HealthInfo>(`${base}api/health`);
        return h.devices.ok === h.devices.total ? h : undefined;
      },
      15_000,
      'all demo devices ok',
    );
    expect(health).toMatchObject({
      demo: true,
      speed: 60,
      status: 'ok',
      siteName: 'Riverside Housing Co-op',
    });
    // 12 household meters, 6 PV inverters, the battery, the grid meter (all SunSpec), the
    // community hall's Eastron SDM630 and 4 switchable loads (device profiles).
    expect(health.devices.total).toBe(25);

    const first = await getJson<Snapshot>(`${base}api/snapshot`, cookie);
    const { flows } = first;
    expect(flows.gridW).not.toBeNull();
    expect(flows.loadW).toBe((flows.pvW ?? NaN) + (flows.batteryW ?? NaN) + (flows.gridW ?? NaN));
    expect(flows.socPct).toBeGreaterThan(0);
    expect(first.points['community-battery.capacityWh']).toMatchObject({
      value: 100_000,
      unit: 'Wh',
      stale: false,
    });
    expect(first.devices['grid-meter']?.identity).toMatchObject({
      manufacturer: 'Microgrid Station',
      serialNumber: 'SIM-grid-meter',
    });
    // The non-SunSpec device, read through its register map like any other.
    expect(first.devices['community-hall-meter']).toMatchObject({
      state: 'ok',
      identity: { manufacturer: 'Eastron', model: 'SDM630-Modbus V2' },
    });
    for (const point of ['powerW', 'voltageV', 'frequencyHz', 'energyImportWh'])
      expect(first.points[`community-hall-meter.${point}`]).toMatchObject({
        value: expect.any(Number),
        stale: false,
      });
    expect(first.points['community-hall-meter.powerW']?.value).toBeGreaterThan(0);
    expect(first.members.find((m) => m.memberId === 'co-op')?.netW).toEqual(expect.any(Number));
    const profiles = await getJson<{ id: string }[]>(`${base}api/profiles`, cookie);
    expect(profiles.map((p) => p.id)).toContain('eastron-sdm630');

    const changed = await waitFor(
      async () => {
        const next = await getJson<Snapshot>(`${base}api/snapshot`, cookie);
        return next.tsMs > first.tsMs && next.flows.loadW !== flows.loadW ? next : undefined;
      },
      10_000,
      'the load to change',
    );
    expect(changed.tsMs).toBeGreaterThan(first.tsMs);

    const history = await waitFor(
      async () => {
        const h = await getJson<HistorySeries>(
          `${base}api/history?point=site.loadW&from=${Date.now() - 600_000}&to=${Date.now()}`,
          cookie,
        );
        return h.samples.length >= 2 ? h : undefined;
      },
      10_000,
      'stored history',
    );
    expect(history).toMatchObject({ point: 'site.loadW', unit: 'W', resolution: 'raw' });

    expect(await running.stop('SIGTERM')).toBe(0);
    expect(running.stderr()).toMatch(/SIGTERM: stopping/);

    // Restarting with the same data dir continues with the same data.
    running = await startServe(['--data-dir', dataDir]);
    // A restart ends every session: the account remains, a new login is needed.
    expect((await fetch(`${running.info.url}api/snapshot`, { headers: { cookie } })).status).toBe(
      401,
    );
    const again = await getJson<HistorySeries>(
      `${running.info.url}api/history?point=site.loadW&from=${Date.now() - 600_000}&to=${Date.now()}`,
      await running.adminCookie(),
    );
    expect(again.samples.length).toBeGreaterThanOrEqual(history.samples.length);
    expect(again.samples[0]).toEqual(history.samples[0]);
    expect(await running.stop('SIGINT')).toBe(0);
  }, 60_000);
});
