// Scan, SunSpec read, raw registers and test writes through the station API, against the
// real station and the demo's simulated devices on loopback Modbus TCP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScanStatus } from '../../../core/api/station-api';
import type { DemoMicrogrid } from '../../../drivers/sim/demo-microgrid/demo-microgrid';
import { startRuntime } from '../../../electron/station/runtime';
import type { Station } from '../../../electron/station/station';
import { smallSite } from '../../core/site/site-fixture';
import { startPausedDemo } from '../../support/demo';
import { useTempDirs } from '../../support/temp-dir';
import { call, collect, refusal } from './station-api-client';

const tempDir = useTempDirs('mg-commissioning-api-');
let demo: DemoMicrogrid;
let station: Station;

const urlOf = (id: string): string => demo.site.devices.find((d) => d.id === id)!.url;
/** The gateway port of the demo's PV inverters (units 1–6). */
const pvLink = (): string => urlOf('pv-01').replace(/\?.*$/, '');

beforeAll(async () => {
  demo = await startPausedDemo(Date.UTC(2026, 5, 21, 10));
  // The grid meter is a device of the site, so its link is the poller's link.
  const site = smallSite();
  site.devices = [{ ...site.devices[0]!, url: urlOf('grid-meter'), pollIntervalMs: 200 }];
  station = await startRuntime({ dataDir: tempDir(), site, snapshotIntervalMs: 100 });
});
afterAll(async () => {
  await station?.stop();
  await demo?.stop();
});

async function finished(scanId: string): Promise<ScanStatus> {
  let status = await call(station, 'scan.get', { scanId });
  const deadline = Date.now() + 15_000;
  while (status.state === 'running' && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    status = await call(station, 'scan.get', { scanId });
  }
  return status;
}

describe('commissioning tools through the station API', () => {
  it('scans a link in the background, one scan per link, with progress events', async () => {
    const events = collect(station, 'scan') as ScanStatus[];
    const started = await call(station, 'scan.start', {
      url: pvLink(),
      unitIds: [1, 2, 3, 7, 4, 5, 6],
      timeoutMs: 200,
    });
    expect(started).toMatchObject({ state: 'running', totalCount: 7, doneCount: 0, found: [] });
    expect(await refusal(station, 'scan.start', { url: urlOf('pv-03') })).toMatchObject({
      code: 'busy',
    });
    const done = await finished(started.scanId);
    expect(done.state).toBe('done');
    expect(done.doneCount).toBe(7);
    expect(done.found.map((u) => u.unitId)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(done.found[1]).toMatchObject({
      url: urlOf('pv-02'),
      identity: { serialNumber: 'SIM-pv-02', manufacturer: 'Microgrid Station' },
      baseAddress: 40000,
      problem: null,
      existingDeviceId: null,
    });
    expect(done.found[1]!.models.map((m) => m.id)).toEqual([1, 103, 120, 123]);
    const mine = events.filter((e) => e.scanId === started.scanId);
    expect(mine.some((e) => e.state === 'running' && e.currentUnitId === 7)).toBe(true);
    expect(mine.at(-1)?.state).toBe('done');
  }, 20_000);

  it('marks units the site already has, and cancels a long scan', async () => {
    const meterScan = await call(station, 'scan.start', { url: urlOf('grid-meter'), unitIds: [1] });
    expect((await finished(meterScan.scanId)).found[0]?.existingDeviceId).toBe('grid-meter');

    // 247 ids at 200 ms each would take most of a minute; cancel stops it at once.
    const long = await call(station, 'scan.start', { url: urlOf('meter-01'), timeoutMs: 200 });
    expect(long.totalCount).toBe(247);
    await new Promise((r) => setTimeout(r, 300));
    expect((await call(station, 'scan.cancel', { scanId: long.scanId })).scanId).toBe(long.scanId);
    const cancelled = await finished(long.scanId);
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.doneCount).toBeLessThan(247);
    expect(await refusal(station, 'scan.get', { scanId: 'nope' })).toMatchObject({
      code: 'not_found',
    });
    expect(await refusal(station, 'scan.start', { url: 'opc.tcp://h:4840/x' })).toMatchObject({
      code: 'bad_request',
    });
    expect(
      await refusal(station, 'scan.start', { url: pvLink(), unitIds: [0, 300] }),
    ).toMatchObject({ code: 'bad_request' });
  }, 20_000);

  it('reads decoded SunSpec points by URL or device id, and raw registers', async () => {
    const pv = await call(station, 'sunspec.read', { url: urlOf('pv-01') });
    expect(pv.baseAddress).toBe(40000);
    const controls = pv.models.find((m) => m.id === 123);
    expect(controls?.points.find((p) => p.name === 'WMaxLimPct')).toMatchObject({
      value: 100,
      units: '% WMax',
      writable: true,
    });
    const meter = await call(station, 'sunspec.read', { deviceId: 'grid-meter' });
    expect(meter.models.map((m) => m.id)).toEqual([1, 203]);
    expect(meter.models[0]!.points.find((p) => p.name === 'SN')?.value).toBe('SIM-grid-meter');

    const registers = await call(station, 'registers.read', {
      deviceId: 'grid-meter',
      address: 40000,
      count: 4,
      function: 3,
    });
    expect(registers.values).toEqual([0x5375, 0x6e53, 1, 66]);
    expect(
      await refusal(station, 'registers.read', {
        url: urlOf('pv-01'),
        address: 0,
        count: 2,
        function: 3,
      }),
    ).toMatchObject({
      code: 'device_error',
      message: expect.stringMatching(/illegal data address/),
    });
    for (const params of [
      { url: urlOf('pv-01'), address: 40000, count: 126, function: 3 },
      { url: urlOf('pv-01'), address: 65535, count: 2, function: 3 },
      { url: urlOf('pv-01'), address: 40000, count: 2, function: 16 },
      { address: 40000, count: 2, function: 3 },
      { deviceId: 'grid-meter', url: urlOf('pv-01'), address: 40000, count: 2, function: 3 },
    ])
      expect(await refusal(station, 'registers.read', params)).toMatchObject({
        code: 'bad_request',
      });
    expect(await refusal(station, 'sunspec.read', { deviceId: 'ghost' })).toMatchObject({
      code: 'not_found',
    });
  });

  it('writes WMaxLimPct with read-back, and refuses bad points before sending anything', async () => {
    const target = { url: urlOf('pv-04'), model: 123, point: 'WMaxLimPct' };
    const plan = await call(station, 'sunspec.planWrite', { ...target, value: 60 });
    expect(plan).toMatchObject({
      previousValue: 100,
      requestedValue: 60,
      words: [60],
      units: '% WMax',
    });
    const unchanged = await call(station, 'registers.read', {
      url: target.url,
      address: plan.address,
      count: 1,
      function: 3,
    });
    expect(unchanged.values).toEqual([100]);

    const written = await call(station, 'sunspec.write', { ...target, value: 60 });
    expect(written).toMatchObject({ previousValue: 100, readBackValue: 60, confirmed: true });

    const refusals: [object, string][] = [
      [{ ...target, value: 250 }, 'out_of_range'],
      [{ ...target, value: 'lots' }, 'out_of_range'],
      [{ ...target, value: 60, point: 'W', model: 103 }, 'read_only'],
      [{ ...target, value: 60, point: 'NoSuchPoint' }, 'unknown_point'],
      [{ ...target, value: 60, model: 9999 }, 'unknown_point'],
      [{ ...target, value: 60, model: 124, point: 'WChaMax' }, 'unknown_point'],
    ];
    for (const [params, code] of refusals)
      expect(await refusal(station, 'sunspec.write', params)).toMatchObject({ code });
    for (const params of [
      { ...target, value: Number.NaN },
      { ...target, point: 'drop table' },
      { ...target, value: 60, extra: 1 },
    ])
      expect(await refusal(station, 'sunspec.write', params)).toMatchObject({
        code: 'bad_request',
      });
    const after = await call(station, 'sunspec.read', { url: target.url });
    const limit = after.models
      .find((m) => m.id === 123)!
      .points.find((p) => p.name === 'WMaxLimPct');
    expect(limit?.value).toBe(60);
  });
});
