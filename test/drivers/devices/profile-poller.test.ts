// The profile poller against profile simulators over real loopback Modbus TCP: values as
// set, word-swapped floats read right from hand-written registers, a refused range that
// leaves the other points readable, slow points, identity, health and writes.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceConfig } from '../../../core/site/site-types';
import type { ProfilePoller } from '../../../drivers/devices/profile-poller';
import { LinkPool } from '../../../drivers/modbus/link-pool';
import { loadProfile } from '../../../drivers/profiles/profile-loader';
import { createProfilePoller } from '../../../drivers/profiles/profile-poller-factory';
import type { DeviceProfile } from '../../../drivers/profiles/profile-types';
import { RegisterBankUnit } from '../../../drivers/sim/modbus-register-bank';
import { ModbusTcpServer } from '../../../drivers/sim/modbus-tcp-server';
import type { ModbusUnitHandler } from '../../../drivers/sim/modbus-unit-handler';
import { ProfileDevice } from '../../../drivers/sim/profile-device';
import { PROJECT_ROOT } from '../../../electron/station/project-root';
import { useTempDirs } from '../../support/temp-dir';
import { writeFileSync } from 'node:fs';
import { profileJson } from '../profiles/support/profiles';

const SHIPPED = join(PROJECT_ROOT, 'resources', 'profiles');
const tempDir = useTempDirs('mg-profile-poller-');

interface Rig {
  server: ModbusTcpServer;
  port: number;
  pool: LinkPool;
  requests(): number;
}

const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(
    rigs.splice(0).map(async (r) => Promise.all([r.pool.closeAll(), r.server.close()])),
  );
});

async function rig(units: Record<number, ModbusUnitHandler>): Promise<Rig> {
  const server = new ModbusTcpServer({ unknownUnit: 'gateway-exception' });
  for (const [id, handler] of Object.entries(units)) server.setUnit(Number(id), handler);
  const port = await server.listen();
  const pool = new LinkPool({ timeoutMs: 300, backoff: { initialMs: 20, maxMs: 100, factor: 2 } });
  const requests = (): number => server.connectionStats().reduce((n, c) => n + c.requests, 0);
  const made = { server, port, pool, requests };
  rigs.push(made);
  return made;
}

function device(port: number, profile: string, extra: Partial<DeviceConfig> = {}): DeviceConfig {
  return {
    id: 'dev-1',
    name: 'Device under test',
    url: `modbus-tcp://127.0.0.1:${port}?unit=1`,
    role: 'grid-meter',
    memberId: null,
    pollIntervalMs: 1000,
    enabled: true,
    profile,
    ...extra,
  };
}

function poller(r: Rig, config: DeviceConfig, dir = SHIPPED, nowMs?: () => number): ProfilePoller {
  const made = createProfilePoller(config, config.profile!, dir, r.pool, { nowMs });
  if (!made.ok) throw new Error(made.error.message);
  return made.value;
}

function shipped(id: string): DeviceProfile {
  const loaded = loadProfile(SHIPPED, id);
  if (!loaded.ok) throw new Error(loaded.error.message);
  return loaded.value;
}

const METER = {
  voltageL1V: 230.1,
  voltageL2V: 229.8,
  voltageL3V: 231.4,
  powerL1W: -800.5,
  voltageV: 230.4,
  powerW: -2500.5,
  frequencyHz: 49.98,
  energyImportWh: 12_345_678,
  energyExportWh: 8_765_432,
};

describe('ProfilePoller on an SDM630 simulator', () => {
  it('reports the values set, in two reads per poll', async () => {
    const sdm = new ProfileDevice(shipped('eastron-sdm630'));
    expect(sdm.setAll(METER).ok).toBe(true);
    const r = await rig({ 1: sdm });
    const meter = poller(r, device(r.port, 'eastron-sdm630'));
    expect(meter.status().state).toBe('connecting');

    const reading = await meter.poll();
    expect(reading?.values).toEqual({
      voltageV: 230.4,
      powerW: -2500.5,
      frequencyHz: 49.98,
      energyImportWh: 12_345_678,
      energyExportWh: 8_765_432,
    });
    expect(r.requests()).toBe(2); // 0–17 and 42–75
    expect(meter.latestValues().get('powerL1W')).toMatchObject({ value: -800.5, unit: 'W' });
    expect(meter.status()).toMatchObject({
      state: 'ok',
      lastError: null,
      identity: { manufacturer: 'Eastron', model: 'SDM630-Modbus V2', serialNumber: null },
    });
    expect(meter.status().lastGoodReadMs).toBe(reading?.tsMs);

    sdm.set('powerW', 1200);
    expect((await meter.poll())?.values.powerW).toBe(1200);
    expect(r.requests()).toBe(4);
  });

  it('nulls just the points of a refused range and keeps reading the rest', async () => {
    const sdm = new ProfileDevice(shipped('eastron-sdm630'));
    sdm.setAll(METER);
    sdm.refuse(4, 72, 4); // the energy counters
    const r = await rig({ 1: sdm });
    const meter = poller(r, device(r.port, 'eastron-sdm630'));

    const first = await meter.poll();
    expect(first?.values).toMatchObject({ powerW: -2500.5, voltageV: 230.4, frequencyHz: 49.98 });
    expect(first?.values.energyImportWh).toBeNull();
    expect(first?.values.energyExportWh).toBeNull();
    const status = meter.status();
    expect(status.state).toBe('degraded');
    expect(status.lastError).toContain('energyImportWh (FC4 72–73)');
    expect(status.lastGoodReadMs).toBeNull();
    // 0–17, the refused 42–75, then 42, 52, 70, 72, 74 alone
    expect(r.requests()).toBe(7);

    const second = await meter.poll(); // fast only: the split is remembered
    expect(second?.values.powerW).toBe(-2500.5);
    expect(r.requests()).toBe(11);
  });
});

describe('ProfilePoller decoding', () => {
  it('reads word-swapped float32 from hand-written registers', async () => {
    const dir = tempDir();
    const points = [
      { name: 'powerW', address: 0, type: 'float32', wordOrder: 'little', unit: 'W' },
      { name: 'frequencyHz', address: 2, type: 'float32', unit: 'Hz' },
      { name: 'socPct', address: 4, type: 'uint16', scale: 0.1, unit: '%' },
      { name: 'serialNumber', address: 5, type: 'string', length: 3, poll: 'slow' },
    ];
    writeFileSync(
      join(dir, 'swapped.json'),
      JSON.stringify(profileJson(points, { id: 'swapped' })),
    );
    // 230.5 = 0x43668000 low word first; 50.0 = 0x42480000 high word first; "AB12\0\0"
    const bank = new RegisterBankUnit({
      holding: [0x8000, 0x4366, 0x4248, 0x0000, 555, 0x4142, 0x3132, 0, 0],
    });
    const r = await rig({ 1: bank });
    const battery = poller(r, device(r.port, 'swapped', { role: 'battery' }), dir);
    expect((await battery.poll())?.values).toEqual({
      powerW: 230.5,
      frequencyHz: 50,
      socPct: 55.5,
    });
    expect(battery.status().identity).toEqual({
      manufacturer: 'Test Works',
      model: 'TW-1',
      serialNumber: 'AB12',
      version: null,
    });
  });

  it('reads slow points once per interval and repeats them in between', async () => {
    let nowMs = 1_000_000;
    const sdm = new ProfileDevice(shipped('eastron-sdm120'));
    sdm.setAll({ powerW: 100, energyImportWh: 5_000_000 });
    const r = await rig({ 1: sdm });
    const meter = poller(
      r,
      device(r.port, 'eastron-sdm120', { role: 'household-meter' }),
      SHIPPED,
      () => nowMs,
    );
    expect((await meter.poll())?.values.energyImportWh).toBe(5_000_000);
    sdm.set('energyImportWh', 5_001_000);
    nowMs += 30_000;
    const between = await meter.poll();
    expect(between?.values.energyImportWh).toBe(5_000_000); // repeated, not re-read
    nowMs += 30_000;
    expect((await meter.poll())?.values.energyImportWh).toBe(5_001_000);
  });
});

describe('ProfilePoller health and writes', () => {
  it('goes offline when the device stops answering', async () => {
    const r = await rig({ 1: new ProfileDevice(shipped('eastron-sdm120')) });
    const meter = poller(r, device(r.port, 'eastron-sdm120'));
    expect(await meter.poll()).not.toBeNull();
    r.server.setFault(1, { kind: 'no-reply' });
    for (let i = 0; i < 3; i++) expect(await meter.poll()).toBeNull();
    expect(meter.status()).toMatchObject({
      state: 'offline',
      lastError: expect.stringContaining('no reply'),
    });
  });

  it('writes writable points, checking the range before anything is sent', async () => {
    const dir = tempDir();
    const points = [
      { name: 'powerW', address: 0, type: 'int16', unit: 'W' },
      {
        name: 'powerLimitPct',
        address: 1,
        type: 'uint16',
        scale: 0.1,
        unit: '%',
        writable: { min: 0, max: 100 },
      },
    ];
    writeFileSync(join(dir, 'test-device.json'), JSON.stringify(profileJson(points)));
    const loaded = loadProfile(dir, 'test-device');
    if (!loaded.ok) throw new Error(loaded.error.message);
    const sim = new ProfileDevice(loaded.value);
    const r = await rig({ 1: sim });
    const inverter = poller(r, device(r.port, 'test-device', { role: 'battery' }), dir);
    expect(await inverter.writePoint('powerLimitPct', 42.5)).toEqual({
      ok: true,
      value: undefined,
    });
    expect(sim.get('powerLimitPct')).toBe(42.5);
    const before = r.requests();
    expect(await inverter.writePoint('powerLimitPct', 120)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(await inverter.writePoint('powerW', 5)).toMatchObject({
      ok: false,
      error: { code: 'not_writable' },
    });
    expect(await inverter.writePoint('nope', 5)).toMatchObject({
      ok: false,
      error: { code: 'unknown_point' },
    });
    expect(r.requests()).toBe(before);
  });
});

describe('createProfilePoller', () => {
  it('uses the profile unit id when the URL names none', async () => {
    const gx = new ProfileDevice(shipped('victron-gx-system'), { unlisted: 'illegal-address' });
    gx.setAll({ powerW: 1500, socPct: 87, gridL1W: -300 });
    const r = await rig({ 100: gx });
    const url = `modbus-tcp://127.0.0.1:${r.port}`;
    const battery = poller(r, device(r.port, 'victron-gx-system', { role: 'battery', url }));
    expect((await battery.poll())?.values).toEqual({ powerW: 1500, socPct: 87 });
    expect(battery.latestValues().get('gridL1W')?.value).toBe(-300);
    const explicit = poller(
      r,
      device(r.port, 'victron-gx-system', { role: 'battery', url: `${url}?unit=5` }),
    );
    expect(await explicit.poll()).toBeNull(); // unit 5: gateway exception, nothing answered
  });

  it('explains an unknown profile, a role it does not serve and a non-Modbus URL', async () => {
    const r = await rig({});
    const make = (config: DeviceConfig) =>
      createProfilePoller(config, config.profile!, SHIPPED, r.pool);
    expect(make(device(r.port, 'acme-9000'))).toMatchObject({
      ok: false,
      error: {
        message: expect.stringMatching(
          /unknown device profile "acme-9000" \(no .*acme-9000\.json\)/,
        ),
      },
    });
    expect(make(device(r.port, 'victron-gx-system'))).toMatchObject({
      ok: false,
      error: { message: 'device profile "victron-gx-system" serves battery, not grid-meter' },
    });
    expect(
      make(device(r.port, 'eastron-sdm630', { url: 'opc.tcp://127.0.0.1:4840' })),
    ).toMatchObject({
      ok: false,
      error: { message: 'a device profile needs a Modbus URL' },
    });
  });
});
