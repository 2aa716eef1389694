// Writing SunSpec points of a demo PV inverter over loopback TCP. The inverter's image sits
// behind a gateway of this test that counts requests and writes, so every refusal is
// checked to have sent no write (and, where the model table suffices, nothing at all).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openModbusTarget, type ModbusTarget } from '../../../drivers/commissioning/modbus-target';
import {
  checkPointWrite,
  executePointWrite,
  planPointWrite,
  type PointWriteRequest,
} from '../../../drivers/commissioning/write-point';
import type { DemoMicrogrid } from '../../../drivers/sim/demo-microgrid/demo-microgrid';
import type { UnitClient } from '../../../drivers/modbus/unit-client';
import type { SunspecImage } from '../../../drivers/sunspec/device-image';
import { sunspecUnitHandler } from '../../../drivers/sim/demo-microgrid/sunspec-unit-handler';
import { startPausedDemo } from '../../support/demo';
import { startSimGateway, type SimGateway } from './support/sim-gateway';

let grid: DemoMicrogrid;
let inverter: SunspecImage;
let g: SimGateway;
let target: ModbusTarget;
let unit: UnitClient;

beforeAll(async () => {
  grid = await startPausedDemo(Date.UTC(2026, 5, 21, 11));
  inverter = grid.devices.get('pv-03')!.image;
});
afterAll(() => grid.stop());

async function connect(handler: Parameters<typeof startSimGateway>[0][number]): Promise<void> {
  g = await startSimGateway({ 3: handler });
  const opened = openModbusTarget(g.url(3));
  if (!opened.ok) throw new Error(opened.error.message);
  target = opened.value;
  unit = target.unit(3, 1000);
}
afterEach(async () => {
  await target.close();
  await g.close();
  inverter.setPoint(123, 'WMaxLimPct', 100);
  inverter.setPoint(123, 'WMaxLim_Ena', 0);
});

async function write(request: PointWriteRequest) {
  const plan = await planPointWrite(unit, request);
  if (!plan.ok) return plan;
  return executePointWrite(unit, plan.value);
}

describe('writing a point', () => {
  it('sets model 123 WMaxLimPct and reads back what the inverter now holds', async () => {
    await connect(inverter);
    const plan = await planPointWrite(unit, { modelId: 123, point: 'WMaxLimPct', value: '50' });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    const model = inverter.models.find((m) => m.id === 123)!;
    expect(plan.value).toMatchObject({
      modelId: 123,
      point: 'WMaxLimPct',
      units: '% WMax',
      modelAddress: model.address,
      address: model.address + 2 + 3,
      words: [50],
      oldValue: 100,
      newValue: 50,
    });
    expect(g.writes).toEqual([]);
    const outcome = await executePointWrite(unit, plan.value);
    expect(outcome).toMatchObject({ ok: true, value: { readBack: 50, matches: true } });
    expect(inverter.getPoint(123, 'WMaxLimPct')).toBe(50);
    expect(g.writes).toEqual([{ unitId: 3, address: model.address + 5, values: [50] }]);
  });

  it('takes enum symbols by name and reports them back', async () => {
    await connect(inverter);
    const outcome = await write({ modelId: 123, point: 'WMaxLim_Ena', value: 'ENABLED' });
    expect(outcome).toMatchObject({
      ok: true,
      value: {
        plan: { oldSymbol: 'DISABLED', newValue: 1 },
        readBack: 1,
        readBackSymbol: 'ENABLED',
      },
    });
    expect(inverter.getPoint(123, 'WMaxLim_Ena')).toBe(1);
  });

  it('refuses read-only, unknown and out-of-range points from the model table, sending nothing', async () => {
    await connect(inverter);
    const cases: [PointWriteRequest, string, RegExp][] = [
      [{ modelId: 103, point: 'W', value: '5' }, 'read_only', /^model 103 W is read-only$/],
      [
        { modelId: 123, point: 'WMaxLimPct', value: '150' },
        'out_of_range',
        /^model 123 WMaxLimPct: 150 % WMax is outside 0\.\.100 % WMax$/,
      ],
      [{ modelId: 123, point: 'WMaxLimPct', value: 'fifty' }, 'wrong_type', /is not a number/],
      [{ modelId: 123, point: 'Nope', value: '1' }, 'unknown_point', /has no point Nope/],
      [{ modelId: 123, point: 'Conn', value: 'MAYBE' }, 'out_of_range', /DISCONNECT=0, CONNECT=1/],
      [{ modelId: 9999, point: 'W', value: '1' }, 'unknown_model', /no definition of model 9999/],
    ];
    for (const [request, code, message] of cases) {
      const result = await write(request);
      expect(result, JSON.stringify(request)).toMatchObject({ ok: false, error: { code } });
      if (!result.ok) expect(result.error.message).toMatch(message);
    }
    expect(g.requests()).toBe(0);
  });

  it("refuses a value outside the type at the device's scale factor, after reading but before writing", async () => {
    await connect(inverter);
    // OutPFSet is int16 at SF -3 on this inverter: ±32.767 at most.
    const result = await write({ modelId: 123, point: 'OutPFSet', value: '40' });
    expect(result).toMatchObject({ ok: false, error: { code: 'out_of_range' } });
    if (!result.ok)
      expect(result.error.message).toBe(
        'model 123 OutPFSet: 40 cos() is outside -32.767..32.767 cos() (int16, SF -3)',
      );
    expect(g.requests()).toBeGreaterThan(0);
    expect(g.writes).toEqual([]);
  });

  it('refuses a model the device does not have', async () => {
    await connect(inverter);
    const result = await write({ modelId: 124, point: 'WChaMax', value: '1000' });
    expect(result).toMatchObject({ ok: false, error: { code: 'model_not_present' } });
    expect(g.writes).toEqual([]);
  });

  it('says when the device refused the write, and when it reports another value', async () => {
    const handler = sunspecUnitHandler(inverter);
    await connect({
      ...handler,
      writeRegisters: () => ({ ok: false as const, error: { exceptionCode: 3 } }),
    });
    const refused = await write({ modelId: 123, point: 'WMaxLimPct', value: '40' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'illegal_value' } });
    if (!refused.ok)
      expect(refused.error.message).toMatch(
        /^unit 3 at modbus-tcp:\/\/127\.0\.0\.1:\d+ refused the write of WMaxLimPct \(model 123\) at \d+: illegal data value \(exception 03\)$/,
      );
    await target.close();
    await g.close();
    // A device that acknowledges but keeps its old value (clamping, or a locked setting).
    await connect({ ...handler, writeRegisters: () => ({ ok: true as const, value: undefined }) });
    const ignored = await write({ modelId: 123, point: 'WMaxLimPct', value: '40' });
    expect(ignored).toMatchObject({ ok: true, value: { readBack: 100, matches: false } });
  });
});

describe('checkPointWrite (no device)', () => {
  it('resolves group points only with an index', () => {
    expect(checkPointWrite({ modelId: 160, point: 'DCA', value: '1' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_point', message: expect.stringMatching(/write module\[0\]\.DCA/) },
    });
    expect(checkPointWrite({ modelId: 160, point: 'module[1].DCA', value: '1' })).toMatchObject({
      ok: false,
      error: { code: 'read_only', message: 'model 160 module[1].DCA is read-only' },
    });
    expect(checkPointWrite({ modelId: 160, point: 'module.DCA', value: '1' })).toMatchObject({
      ok: false,
      error: { code: 'unknown_point' },
    });
  });

  it('checks fixed-scale points against their type at once', () => {
    // Model 1 DA is uint16 without scale factor.
    expect(checkPointWrite({ modelId: 1, point: 'DA', value: '-1' })).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(checkPointWrite({ modelId: 1, point: 'DA', value: '0x10' })).toMatchObject({
      ok: true,
      value: { value: 16 },
    });
  });
});
