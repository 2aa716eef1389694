// The commissioning tools on an RTU URL form: SunSpec images behind an RTU-over-TCP
// simulator (a transparent RS-485 gateway: one bus, one request at a time, silence for
// absent ids). Serial ports themselves are the RTU connector's tests' business (socat ptys).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openModbusTarget, type ModbusTarget } from '../../../drivers/commissioning/modbus-target';
import { readSunspecDevice } from '../../../drivers/commissioning/read-device';
import { scanUnits } from '../../../drivers/commissioning/scan';
import { executePointWrite, planPointWrite } from '../../../drivers/commissioning/write-point';
import type { DemoMicrogrid } from '../../../drivers/sim/demo-microgrid/demo-microgrid';
import { sunspecUnitHandler } from '../../../drivers/sim/demo-microgrid/sunspec-unit-handler';
import { ModbusRtuServer } from '../../../drivers/sim/modbus-rtu-server';
import { startPausedDemo } from '../../support/demo';

let grid: DemoMicrogrid;
let server: ModbusRtuServer;
let base: string;
const targets: ModbusTarget[] = [];

beforeAll(async () => {
  grid = await startPausedDemo(Date.UTC(2026, 5, 21, 11));
  server = new ModbusRtuServer()
    .setUnit(2, sunspecUnitHandler(grid.devices.get('meter-02')!.image))
    .setUnit(5, sunspecUnitHandler(grid.devices.get('pv-05')!.image))
    .setUnit(200, sunspecUnitHandler(grid.devices.get('grid-meter')!.image));
  base = `modbus-rtuovertcp://127.0.0.1:${await server.listen()}`;
});
afterAll(async () => {
  await server.close();
  await grid.stop();
});
afterEach(async () => {
  await Promise.all(targets.splice(0).map((t) => t.close()));
  grid.devices.get('pv-05')!.image.setPoint(123, 'WMaxLimPct', 100);
});

function open(url: string): ModbusTarget {
  const target = openModbusTarget(url);
  if (!target.ok) throw new Error(target.error.message);
  targets.push(target.value);
  return target.value;
}

describe('commissioning over RTU framing (modbus-rtuovertcp)', () => {
  it('scans the bus one request at a time and identifies each unit', async () => {
    const target = open(base);
    expect(target.scanTimeoutMs).toBe(500);
    const result = await scanUnits(target, { unitIds: [1, 2, 3, 5, 200], probeTimeoutMs: 250 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.units.map((u) => [u.unitId, u.identity?.serialNumber])).toEqual([
      [2, 'SIM-meter-02'],
      [5, 'SIM-pv-05'],
      [200, 'SIM-grid-meter'],
    ]);
    expect(server.maxOutstanding).toBe(1);
  });

  it('reads and writes a unit on the bus', async () => {
    const target = open(`${base}?unit=5`);
    const unit = target.unit(target.unitId, 1000);
    const reading = await readSunspecDevice(unit, { modelId: 123 });
    expect(
      reading.ok && reading.value.models[0]!.points!.find((p) => p.path === 'WMaxLimPct'),
    ).toMatchObject({
      value: 100,
    });
    const plan = await planPointWrite(unit, { modelId: 123, point: 'WMaxLimPct', value: '35' });
    if (!plan.ok) throw new Error(plan.error.message);
    const outcome = await executePointWrite(unit, plan.value);
    expect(outcome).toMatchObject({ ok: true, value: { readBack: 35, matches: true } });
    expect(grid.devices.get('pv-05')!.image.getPoint(123, 'WMaxLimPct')).toBe(35);
  });
});
