// Scanning links of the demo microgrid over loopback TCP: which ids answer, what they are,
// and how a scan ends when the user stops it or the link goes away.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openModbusTarget, type ModbusTarget } from '../../../drivers/commissioning/modbus-target';
import { scanUnits, type ScanProgress } from '../../../drivers/commissioning/scan';
import type { DemoMicrogrid } from '../../../drivers/sim/demo-microgrid/demo-microgrid';
import { RegisterBankUnit } from '../../../drivers/sim/modbus-register-bank';
import { startPausedDemo } from '../../support/demo';
import { startSimGateway, type SimGateway } from './support/sim-gateway';

let grid: DemoMicrogrid;
const targets: ModbusTarget[] = [];
const gateways: SimGateway[] = [];

beforeAll(async () => {
  grid = await startPausedDemo(Date.UTC(2026, 5, 21, 11));
});
afterAll(() => grid.stop());
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.close()));
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

const urlOf = (deviceId: string) => grid.endpoints.find((e) => e.deviceId === deviceId)!.url;
const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

function open(url: string): ModbusTarget {
  const target = openModbusTarget(url);
  if (!target.ok) throw new Error(target.error.message);
  targets.push(target.value);
  return target.value;
}

async function gateway(...args: Parameters<typeof startSimGateway>): Promise<SimGateway> {
  const g = await startSimGateway(...args);
  gateways.push(g);
  return g;
}

describe('scanUnits on the demo microgrid', () => {
  it('finds exactly the 12 household meters on their gateway port, with identity and models', async () => {
    const progress: ScanProgress[] = [];
    const found: number[] = [];
    // The URL's own unit (7) does not narrow the scan.
    const url = urlOf('meter-07');
    const result = await scanUnits(open(url), {
      unitIds: ids(1, 14),
      probeTimeoutMs: 250,
      onProgress: (p) => progress.push(p),
      onFound: (u) => found.push(u.unitId),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const report = result.value;
    expect(report.units.map((u) => u.unitId)).toEqual(ids(1, 12));
    expect(found).toEqual(ids(1, 12));
    expect(report).toMatchObject({ probed: 14, total: 14, complete: true, stopped: null });
    expect(report.link).toBe(url.replace(/\?unit=7$/, ''));
    expect(report.units[4]).toEqual({
      unitId: 5,
      sunspec: {
        baseAddress: 40000,
        models: [
          { id: 1, address: 40002, length: 66, name: 'common', label: 'Common' },
          {
            id: 203,
            address: 40070,
            length: 105,
            name: 'ac_meter_abcn',
            label: 'wye-connect three phase (abcn) meter',
          },
        ],
      },
      identity: {
        manufacturer: 'Microgrid Station',
        model: 'Sim Meter 203',
        options: 'demo',
        version: '1.0.0',
        serialNumber: 'SIM-meter-05',
        deviceAddress: 5,
      },
      problem: null,
    });
    expect(progress.map((p) => p.unitId)).toEqual([...ids(1, 14), null]);
    expect(progress.at(-1)).toEqual({ done: 14, total: 14, unitId: null, found: 12 });
  });

  it('finds only the battery inverter on its own port, probing the typical ids', async () => {
    const result = await scanUnits(open(urlOf('community-battery')), {
      unitIds: [1, 2, 3, 126, 200, 240],
      probeTimeoutMs: 150,
    });
    expect(result.ok && result.value.units.map((u) => u.unitId)).toEqual([1]);
    expect(result.ok && result.value.units[0]!.sunspec!.models.map((m) => m.id)).toEqual([
      1, 103, 120, 122, 124, 802,
    ]);
  });

  it('fails with unreachable when nothing listens on the port', async () => {
    const port = await freePort();
    const result = await scanUnits(open(`modbus-tcp://127.0.0.1:${port}`), { unitIds: ids(1, 5) });
    expect(result).toMatchObject({ ok: false, error: { code: 'unreachable' } });
    if (!result.ok)
      expect(result.error.message).toBe(
        `cannot reach modbus-tcp://127.0.0.1:${port}: connect to 127.0.0.1:${port} failed: ECONNREFUSED (nothing accepts connections on that port: check the address and port)`,
      );
  });
});

describe('scanUnits on special links', () => {
  it('lists a unit that answers Modbus without SunSpec, as needing a profile', async () => {
    const g = await gateway({ 4: new RegisterBankUnit({ holding: 10 }) });
    const result = await scanUnits(open(g.url()), { unitIds: ids(3, 5), probeTimeoutMs: 150 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.units).toHaveLength(1);
    const unit = result.value.units[0]!;
    expect(unit).toMatchObject({ unitId: 4, sunspec: null, identity: null });
    expect(unit.problem?.code).toBe('no_sunspec');
    expect(unit.problem?.message).toMatch(
      /^unit 4 at modbus-tcp:\/\/127\.0\.0\.1:\d+ has no SunSpec map: .*40000: illegal_address.*; it may need a device profile$/,
    );
  });

  it('takes gateway exception 0B as "nobody there", without waiting for timeouts', async () => {
    const meter = grid.devices.get('meter-02')!.image;
    const g = await gateway({ 3: meter }, { unknownUnit: 'gateway-exception' });
    const started = Date.now();
    const result = await scanUnits(open(g.url()), { unitIds: ids(1, 40), probeTimeoutMs: 2000 });
    expect(result.ok && result.value.units.map((u) => u.unitId)).toEqual([3]);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('stops at an abort with what it found so far', async () => {
    const controller = new AbortController();
    const result = await scanUnits(open(urlOf('meter-01')), {
      unitIds: ids(1, 12),
      signal: controller.signal,
      onFound: (u) => u.unitId === 3 && controller.abort(),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.units.map((u) => u.unitId)).toEqual([1, 2, 3]);
    expect(result.value).toMatchObject({
      complete: false,
      probed: 3,
      stopped: { code: 'aborted' },
    });
  });

  it('settles an abort during a silent probe at once, not after its timeout', async () => {
    const g = await gateway({});
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = Date.now();
    const result = await scanUnits(open(g.url()), {
      unitIds: ids(1, 5),
      probeTimeoutMs: 5000,
      signal: controller.signal,
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result).toMatchObject({ ok: true, value: { units: [], stopped: { code: 'aborted' } } });
  });

  it('ends with what it found when the link is lost part way', async () => {
    const meter = grid.devices.get('meter-01')!.image;
    const g = await gateway({ 1: meter });
    const result = await scanUnits(open(g.url()), {
      unitIds: ids(1, 5),
      probeTimeoutMs: 150,
      onFound: () => void g.close(),
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.units.map((u) => u.unitId)).toEqual([1]);
    expect(result.value).toMatchObject({ complete: false, stopped: { code: 'unreachable' } });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}
