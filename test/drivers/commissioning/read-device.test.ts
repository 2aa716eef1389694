// Reading whole devices and raw registers over loopback TCP: the demo meter, and images
// built here for what the demo lacks (repeating groups, vendor models, a map at 0).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openModbusTarget, type ModbusTarget } from '../../../drivers/commissioning/modbus-target';
import { readSunspecDevice } from '../../../drivers/commissioning/read-device';
import { readRegisterWords } from '../../../drivers/commissioning/registers';
import type { DemoMicrogrid } from '../../../drivers/sim/demo-microgrid/demo-microgrid';
import type { UnitClient } from '../../../drivers/modbus/unit-client';
import { buildSunspecImage } from '../../../drivers/sunspec/device-image';
import { getModelDef } from '../../../drivers/sunspec/model-table';
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

function unitAt(url: string, timeoutMs = 1000): UnitClient {
  const target = openModbusTarget(url);
  if (!target.ok) throw new Error(target.error.message);
  targets.push(target.value);
  return target.value.unit(target.value.unitId, timeoutMs);
}

const urlOf = (deviceId: string) => grid.endpoints.find((e) => e.deviceId === deviceId)!.url;

describe('readSunspecDevice', () => {
  it("prints the meter's 203 points scaled, with units, as the simulator holds them", async () => {
    const result = await readSunspecDevice(unitAt(urlOf('meter-04')), { modelId: 203 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toMatchObject({ unitId: 4, baseAddress: 40000 });
    expect(result.value.models).toHaveLength(1);
    const model = result.value.models[0]!;
    expect(model).toMatchObject({ id: 203, name: 'ac_meter_abcn', address: 40070, length: 105 });
    const def = getModelDef(203)!;
    const points = model.points!;
    // Every point of the model but pads, in register order.
    expect(points.map((p) => p.path)).toEqual(
      def.points.filter((p) => p.type !== 'pad').map((p) => p.name),
    );
    const sim = grid.devices.get('meter-04')!.image;
    const row = (path: string) => points.find((p) => p.path === path)!;
    expect(row('W')).toMatchObject({ value: sim.getPoint(203, 'W'), units: 'W', type: 'int16' });
    expect(row('PhVphA')).toMatchObject({ value: sim.getPoint(203, 'PhVphA'), units: 'V' });
    expect(row('Hz').value).toBe(sim.getPoint(203, 'Hz'));
    expect(row('TotWhImp')).toMatchObject({ value: sim.getPoint(203, 'TotWhImp'), units: 'Wh' });
    expect(row('A_SF')).toMatchObject({ value: -1, type: 'sunssf' });
    // The simulator does not implement per-phase power: null, never the 0x8000 sentinel.
    expect(row('WphA').value).toBeNull();
    expect(points.filter((p) => p.type !== 'sunssf').every((p) => p.value !== -32768)).toBe(true);
  });

  it('reads every model of a PV inverter and names enum values', async () => {
    const result = await readSunspecDevice(unitAt(urlOf('pv-02')));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.models.map((m) => m.id)).toEqual([1, 103, 120, 123]);
    expect(result.value.models.every((m) => m.problem === null)).toBe(true);
    const points = (id: number) => result.value.models.find((m) => m.id === id)!.points!;
    expect(points(1).find((p) => p.path === 'SN')?.value).toBe('SIM-pv-02');
    expect(points(123).find((p) => p.path === 'Conn')).toMatchObject({
      value: 1,
      symbol: 'CONNECT',
      access: 'rw',
    });
    expect(points(120).find((p) => p.path === 'DERTyp')).toMatchObject({ value: 4, symbol: 'PV' });
  });

  it('shows repeating groups instance by instance, and vendor models as unknown', async () => {
    const image = buildSunspecImage({
      baseAddress: 0,
      models: [
        { id: 1, values: { points: { Mn: 'Acme', Md: 'M1', SN: 'A-1' } } },
        {
          id: 160,
          values: {
            points: { DCA_SF: -1, DCV_SF: -1 },
            groups: {
              module: [{ points: { ID: 1, DCA: 7.5 } }, { points: { ID: 2, DCV: 401.2 } }],
            },
          },
        },
        { id: 65000, body: [1, 2, 3] },
      ],
    });
    const g = await startSimGateway({ 1: image });
    gateways.push(g);
    const result = await readSunspecDevice(unitAt(g.url()));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.baseAddress).toBe(0);
    const [, mppt, vendor] = result.value.models;
    const row = (path: string) => mppt!.points!.find((p) => p.path === path);
    expect(row('N')?.value).toBe(2);
    expect(row('module[0].DCA')).toMatchObject({ value: 7.5, units: 'A' });
    expect(row('module[1].ID')?.value).toBe(2);
    expect(row('module[1].DCV')).toMatchObject({ value: 401.2, units: 'V' });
    expect(row('module[1].DCA')?.value).toBeNull();
    expect(row('module[2].DCA')).toBeUndefined();
    expect(vendor).toMatchObject({ id: 65000, name: null, points: null });
    expect(vendor!.problem?.code).toBe('unknown_model');
  });

  it('refuses a model the device lacks or the station does not know', async () => {
    const unit = unitAt(urlOf('meter-01'));
    const missing = await readSunspecDevice(unit, { modelId: 123 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'model_not_present' } });
    if (!missing.ok) expect(missing.error.message).toMatch(/has no model 123 \(it has 1, 203\)$/);
    const unknown = await readSunspecDevice(unit, { modelId: 9999 });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown_model' } });
  });

  it('says "no SunSpec" for a unit without a map, and "did not answer" for a silent one', async () => {
    const g = await startSimGateway({ 1: { readHoldingRegisters: () => fail2() } });
    gateways.push(g);
    const none = await readSunspecDevice(unitAt(g.url()));
    expect(none).toMatchObject({ ok: false, error: { code: 'no_sunspec' } });
    if (!none.ok)
      expect(none.error.message).toMatch(
        /^unit 1 at modbus-tcp:\/\/127\.0\.0\.1:\d+ has no SunSpec map: no 'SunS' marker at 40000, 0 or 50000 \(40000: illegal_address; 0: illegal_address; 50000: illegal_address\)$/,
      );
    const silent = await readSunspecDevice(unitAt(g.url(9), 50));
    expect(silent).toMatchObject({ ok: false, error: { code: 'timeout' } });
    if (!silent.ok)
      expect(silent.error.message).toMatch(
        /^unit 9 at .* did not answer at 40000, 0 or 50000 \(no reply within 50 ms\): check the unit id/,
      );
  });
});

describe('readRegisterWords', () => {
  it('reads the SunS marker and the common model header at 40000', async () => {
    const words = await readRegisterWords(unitAt(urlOf('grid-meter')), {
      fc: 3,
      address: 40000,
      count: 4,
    });
    expect(words).toEqual({
      ok: true,
      value: [
        { address: 40000, value: 0x5375, hex: '0x5375' },
        { address: 40001, value: 0x6e53, hex: '0x6E53' },
        { address: 40002, value: 1, hex: '0x0001' },
        { address: 40003, value: 66, hex: '0x0042' },
      ],
    });
  });

  it('names device refusals: illegal address, illegal function (FC4)', async () => {
    const unit = unitAt(urlOf('grid-meter'));
    const below = await readRegisterWords(unit, { fc: 3, address: 0, count: 2 });
    expect(below).toMatchObject({ ok: false, error: { code: 'illegal_address' } });
    if (!below.ok)
      expect(below.error.message).toMatch(
        /^unit 1 at modbus-tcp:\/\/127\.0\.0\.1:\d+ refused a read of 2 holding registers at 0 \(FC3\): illegal data address \(exception 02\)$/,
      );
    const input = await readRegisterWords(unit, { fc: 4, address: 40000, count: 2 });
    expect(input).toMatchObject({ ok: false, error: { code: 'illegal_function' } });
  });

  it('refuses counts and addresses Modbus cannot carry, without sending', async () => {
    const g = await startSimGateway({});
    gateways.push(g);
    const unit = unitAt(g.url());
    for (const request of [
      { fc: 3 as const, address: 40000, count: 126 },
      { fc: 3 as const, address: 40000, count: 0 },
      { fc: 3 as const, address: 65535, count: 2 },
      { fc: 3 as const, address: -1, count: 1 },
      { fc: 4 as const, address: 1.5, count: 1 },
    ]) {
      const result = await readRegisterWords(unit, request);
      expect(result).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    }
    const tooMany = await readRegisterWords(unit, { fc: 3, address: 0, count: 126 });
    if (!tooMany.ok)
      expect(tooMany.error.message).toBe(
        'count must be 1–125 (the most one Modbus read can carry), got 126',
      );
    expect(g.requests()).toBe(0);
  });
});

function fail2() {
  return { ok: false as const, error: { exceptionCode: 2 } };
}
