import { describe, expect, it } from 'vitest';
import type { HealthInfo } from '../../../core/api/station-api';
import type { Snapshot } from '../../../core/points/snapshot';
import { startRuntime } from '../../../electron/station/runtime';
import { smallSite } from '../../core/site/site-fixture';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs('mg-runtime-');

async function health(station: Awaited<ReturnType<typeof startRuntime>>): Promise<HealthInfo> {
  const reply = await station.dispatch({
    type: 'request',
    id: 1,
    method: 'station.health',
    params: {},
  });
  if (reply.type !== 'response' || !reply.ok) throw new Error(JSON.stringify(reply));
  return reply.value as HealthInfo;
}

describe('station runtime: which site runs', () => {
  it('runs an imported site, keeps it while the demo is forced, and runs it again after', async () => {
    const dataDir = tempDir();
    const site = smallSite();
    // Nothing listens on port 1, and there is no /dev/ttyUSB0 here: both devices end offline.
    site.devices[0]!.url = 'modbus-tcp://127.0.0.1:1?unit=1';
    let station = await startRuntime({ dataDir, site, snapshotIntervalMs: 100 });
    expect(station.site.id).toBe('test-site');
    expect(station.demo).toBe(false);
    await expect
      .poll(async () => (await health(station)).devices.offline, { timeout: 5000 })
      .toBe(2);
    const snapshot = await station.dispatch({
      type: 'request',
      id: 2,
      method: 'snapshot.get',
      params: {},
    });
    expect(snapshot).toMatchObject({
      ok: true,
      value: {
        devices: {
          'h1-meter': {
            state: 'offline',
            lastError: expect.stringMatching(/serial port \/dev\/ttyUSB0 does not exist/),
          },
        },
      },
    });
    await station.stop();

    station = await startRuntime({ dataDir, forceDemo: true });
    expect(station.site.id).toBe('riverside-coop');
    expect(station.demo).toBe(true);
    await station.stop();

    station = await startRuntime({ dataDir });
    expect(station.site.id).toBe('test-site');
    await station.stop();
  }, 30_000);

  it('runs the demo when nothing is stored', async () => {
    const station = await startRuntime({ dataDir: tempDir(), speed: 10 });
    expect(station.demo).toBe(true);
    expect((await health(station)).speed).toBe(10);
    expect(
      station.site.devices.every((d) => /^modbus-tcp:\/\/127\.0\.0\.1:\d+\?unit=\d+$/.test(d.url)),
    ).toBe(true);
    await station.stop();
    await station.stop(); // twice is harmless
  });

  it("polls the demo's Eastron meter by its profile, and the member meters then add up to grid plus battery", async () => {
    // Demo time stands still: every poller reads the same instant of the physics.
    const station = await startRuntime({ dataDir: tempDir(), speed: 0, snapshotIntervalMs: 100 });
    try {
      const hall = station.site.devices.find((d) => d.id === 'community-hall-meter');
      expect(hall).toMatchObject({ profile: 'eastron-sdm630', memberId: 'co-op' });
      const snapshot = await waitFor(async () => {
        const s = await request<Snapshot>(station, 'snapshot.get');
        return Object.values(s.devices).every((d) => d.state === 'ok') ? s : undefined;
      });
      expect(snapshot.devices['community-hall-meter']?.identity).toMatchObject({
        manufacturer: 'Eastron',
        model: 'SDM630-Modbus V2',
      });
      const hallW = snapshot.points['community-hall-meter.powerW'];
      expect(hallW).toMatchObject({ unit: 'W', stale: false });
      // The hall's base load, plus the street lights at night.
      expect([180, 780]).toContain(hallW?.value);
      expect(snapshot.points['community-hall-meter.voltageV']?.value).toBeGreaterThan(220);
      expect(snapshot.points['community-hall-meter.energyImportWh']?.value).toBeGreaterThan(0);
      const members = new Map(snapshot.members.map((m) => [m.memberId, m.netW]));
      expect(members.get('co-op')).toBe(hallW?.value);
      // Every load is behind some member's meter now: Σ meters = grid + battery, up to the
      // scale factors of the SunSpec grid meter and battery (10 W steps).
      const meteredW = [...members.values()].reduce<number>((sum, w) => sum + (w ?? NaN), 0);
      const { gridW, batteryW } = snapshot.flows;
      expect(Math.abs(meteredW - ((gridW ?? NaN) + (batteryW ?? NaN)))).toBeLessThanOrEqual(20);
    } finally {
      await station.stop();
    }
  }, 30_000);
});

async function request<T>(
  station: Awaited<ReturnType<typeof startRuntime>>,
  method: string,
): Promise<T> {
  const reply = await station.dispatch({ type: 'request', id: 3, method, params: {} });
  if (reply.type !== 'response' || !reply.ok) throw new Error(JSON.stringify(reply));
  return reply.value as T;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
