// The demo microgrid's devices read by independent Modbus masters (mbpoll, pymodbus):
// what they see must be valid SunSpec, and the same values the simulator holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoMicrogrid } from '../../../../drivers/sim/demo-microgrid/demo-microgrid';
import { startPausedDemo } from '../../../support/demo';
import { getModelDef } from '../../../../drivers/sunspec/model-table';
import { parseMbpoll, PYTHON, requirePymodbus, tool } from '../../../support/interop-tools';

let grid: DemoMicrogrid;
const portOf = (deviceId: string): number =>
  Number(new URL(grid.endpoints.find((e) => e.deviceId === deviceId)!.url).port);

beforeAll(async () => {
  grid = await startPausedDemo(Date.UTC(2026, 5, 21, 11));
});
afterAll(() => grid.stop());

/** Address of a point: model ID register + 2 (header) + the point's offset. */
function addressOf(deviceId: string, modelId: number, point: string): number {
  const model = grid.devices.get(deviceId)!.image.models.find((m) => m.id === modelId)!;
  return model.address + 2 + getModelDef(modelId)!.points.find((p) => p.name === point)!.offset;
}

describe('demo devices seen by mbpoll', () => {
  it('finds the SunS marker and the common model at 40000 (reference 40001)', async () => {
    const values = parseMbpoll(
      await tool('mbpoll', [
        '-m',
        'tcp',
        '-p',
        String(portOf('grid-meter')),
        '-a',
        '1',
        '-1',
        '-r',
        '40001',
        '-c',
        '4',
        '-t',
        '4:hex',
        '127.0.0.1',
      ]),
    );
    expect([...values.values()]).toEqual(['0x5375', '0x6E53', '0x0001', '0x0042']);
  });

  it('reads the PV inverter power the simulator holds, through the gateway port', async () => {
    const sim = grid.devices.get('pv-03')!;
    const address = addressOf('pv-03', 103, 'W');
    const values = parseMbpoll(
      await tool('mbpoll', [
        '-m',
        'tcp',
        '-p',
        String(portOf('pv-03')),
        '-a',
        '3',
        '-1',
        '-r',
        String(address + 1),
        '-c',
        '1',
        '-t',
        '4',
        '127.0.0.1',
      ]),
    );
    const powerW = sim.image.getPoint(103, 'W');
    expect(powerW).toBeGreaterThan(0); // midsummer noon
    expect(Number(values.get(address + 1))).toBe(powerW); // W_SF is 0 for a 6 kW inverter
  });
});

const PYMODBUS_SCRIPT = `
import json, sys
from pymodbus.client import ModbusTcpClient
port, unit, address = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
client = ModbusTcpClient("127.0.0.1", port=port, timeout=2)
if not client.connect():
    sys.exit("cannot connect")
common = client.read_holding_registers(40004, 16, slave=unit).registers
battery = client.read_holding_registers(address, 1, slave=unit).registers
client.close()
mn = b"".join(w.to_bytes(2, "big") for w in common).rstrip(b"\\0").decode()
print(json.dumps({"manufacturer": mn, "socRaw": battery[0]}))
`;

describe('demo devices seen by pymodbus', () => {
  it('reads the battery identity and state of charge', async () => {
    await requirePymodbus();
    const sim = grid.devices.get('community-battery')!;
    const address = addressOf('community-battery', 802, 'SoC');
    const out = JSON.parse(
      await tool(PYTHON, [
        '-c',
        PYMODBUS_SCRIPT,
        String(portOf('community-battery')),
        '1',
        String(address),
      ]),
    );
    expect(out.manufacturer).toBe('Microgrid Station');
    const socPct = sim.image.getPoint(802, 'SoC') as number;
    expect(socPct).toBeGreaterThan(0);
    expect(out.socRaw / 10).toBeCloseTo(socPct, 5); // SoC_SF is -1
  });
});
