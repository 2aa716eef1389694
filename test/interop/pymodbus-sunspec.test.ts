// Interop with an independent SunSpec implementation: a device served by pymodbus whose
// register map is built in Python from the SunSpec model documents. The station's discovery,
// identity, model decoding and poller, over its own LinkPool and ModbusLink, must read back
// exactly what the Python side put there, scale factors applied. Needs Debian's
// python3-pymodbus: without it the test fails with how to install it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDeviceUrl } from '../../core/site/device-url';
import type { DeviceConfig, DeviceRole } from '../../core/site/site-types';
import { SunspecPoller } from '../../drivers/devices/sunspec-poller';
import { LinkPool } from '../../drivers/modbus/link-pool';
import type { ModbusUnit } from '../../drivers/modbus/modbus-unit';
import {
  discoverSunspec,
  readIdentity,
  readModel,
  type SunspecMap,
} from '../../drivers/sunspec/discovery';
import { quirksFor } from '../../drivers/sunspec/quirks';
import { startPymodbusSunspec, type PymodbusSunspec } from './support/pymodbus-sunspec';

let device: PymodbusSunspec;
let pool: LinkPool;

beforeAll(async () => {
  device = await startPymodbusSunspec();
  pool = new LinkPool({ timeoutMs: 2000, backoff: { initialMs: 50, maxMs: 200, factor: 2 } });
});
afterAll(async () => {
  await pool?.closeAll();
  await device?.stop();
});

const url = (unitId: number) => `modbus-tcp://127.0.0.1:${device.port}?unit=${unitId}`;

function unit(unitId: number, timeoutMs?: number): ModbusUnit {
  const endpoint = parseDeviceUrl(url(unitId));
  if (!endpoint.ok) throw new Error(endpoint.error.message);
  const found = pool.unit(endpoint.value, timeoutMs ? { timeoutMs } : {});
  if (!found.ok) throw new Error(found.error.message);
  return found.value;
}

async function discovered(unitId: number): Promise<SunspecMap> {
  const map = await discoverSunspec(unit(unitId));
  if (!map.ok) throw new Error(map.error.message);
  return map.value;
}

describe.each([1, 200])('unit %i served by pymodbus', (unitId) => {
  it('discovery finds the models where the Python side placed them', async () => {
    const map = await discovered(unitId);
    const expected = device.expected[String(unitId)]!;
    expect(map.baseAddress).toBe(40000);
    expect(map.models.map(({ id, address, length }) => ({ id, address, length }))).toEqual(
      expected.models,
    );
    expect(map.models.every((m) => m.def?.id === m.id)).toBe(true);
  });

  it('readIdentity and readModel decode every value it put there, scale factors applied', async () => {
    const reader = unit(unitId);
    const map = await discovered(unitId);
    const expected = device.expected[String(unitId)]!;
    const common = expected.points['1']!;
    expect(await readIdentity(reader, map)).toEqual({
      ok: true,
      value: {
        manufacturer: common.Mn,
        model: common.Md,
        options: common.Opt,
        version: common.Vr,
        serialNumber: common.SN,
        deviceAddress: common.DA,
      },
    });
    for (const entry of map.models) {
      const model = await readModel(reader, entry);
      if (!model.ok) throw new Error(model.error.message);
      const want = expected.points[String(entry.id)]!;
      const got = Object.fromEntries(
        Object.keys(want).map((name) => [name, model.value.points[name]]),
      );
      expect(got, `model ${entry.id}`).toEqual(want);
    }
  });
});

describe('values that catch classic mistakes', () => {
  it('reads signs, negative scale factors, 32-bit word order and "not implemented"', async () => {
    const inverter = await discovered(1);
    const m103 = await readModel(
      unit(1),
      inverter.models.find((m) => m.id === 103)!,
    );
    expect(m103.ok && m103.value.points).toMatchObject({
      W: 4250, // W_SF = +1
      Hz: 49.98, // Hz_SF = -2
      PF: -0.985, // negative int16 at SF -3
      TmpCab: -12.5,
      WH: 12345678, // acc32 above 65535: big-endian words
      VAr: null, // 0x8000
    });
    const meter = await discovered(200);
    const m203 = await readModel(
      unit(200),
      meter.models.find((m) => m.id === 203)!,
    );
    expect(m203.ok && m203.value.points).toMatchObject({ W: -3450, TotWhImp: 123456789 });
  });

  it('no bundled vendor quirk applies to these test devices', async () => {
    const identity = await readIdentity(unit(1), await discovered(1));
    expect(identity.ok && quirksFor(identity.value).matched).toEqual([]);
  });

  it('a unit pymodbus does not serve stays silent: discovery fails with a typed error', async () => {
    const result = await discoverSunspec(unit(7, 150));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'no_marker', cause: { code: 'timeout' } },
    });
  });
});

describe("the station's SunSpec poller against pymodbus", () => {
  const config = (id: string, role: DeviceRole, unitId: number): DeviceConfig => ({
    id,
    name: id,
    url: url(unitId),
    role,
    memberId: null,
    pollIntervalMs: 1000,
    enabled: true,
  });

  it('maps the inverter and the meter onto canonical points', async () => {
    const inverterValues = device.expected['1']!.points;
    const meterValues = device.expected['200']!.points;
    const pv = new SunspecPoller(config('pv-1', 'pv-inverter', 1), unit(1));
    const grid = new SunspecPoller(config('grid-meter', 'grid-meter', 200), unit(200));
    const [pvReading, gridReading] = [await pv.poll(), await grid.poll()];
    expect(pvReading?.values).toEqual({
      powerW: inverterValues['103']!.W,
      energyProducedWh: inverterValues['103']!.WH,
      voltageV: inverterValues['103']!.PhVphA,
      frequencyHz: inverterValues['103']!.Hz,
      ratedPowerW: inverterValues['120']!.WRtg,
      powerLimitPct: inverterValues['123']!.WMaxLimPct,
    });
    expect(gridReading?.values).toEqual({
      powerW: meterValues['203']!.W, // import positive: this meter exports
      voltageV: meterValues['203']!.PhV,
      frequencyHz: meterValues['203']!.Hz,
      energyImportWh: meterValues['203']!.TotWhImp,
      energyExportWh: meterValues['203']!.TotWhExp,
    });
    expect(pv.status()).toMatchObject({
      state: 'ok',
      identity: { manufacturer: 'Interop Test Solar', serialNumber: 'PYM-INV-0001' },
    });
  });
});
