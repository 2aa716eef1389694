import { describe, expect, it } from 'vitest';
import type { HealthInfo } from '../../../core/api/station-api';
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
});
