// Independent Modbus masters against our simulator: mbpoll (libmodbus) and pymodbus. If
// they read what we put in the registers, our framing is not merely self-consistent.
// Both tools are required: a missing one fails the test with how to install it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegisterBankUnit } from '../../../drivers/sim/modbus-register-bank';
import { ModbusTcpServer } from '../../../drivers/sim/modbus-tcp-server';
import { parseMbpoll, PYTHON, requirePymodbus, tool } from '../../support/interop-tools';

const UNIT_ID = 7;

let server: ModbusTcpServer;
let port: number;
let bank: RegisterBankUnit;

beforeAll(async () => {
  server = new ModbusTcpServer();
  // Values that expose byte order and signedness mistakes.
  bank = new RegisterBankUnit({
    holding: [0x0102, 0xfffe, 0x8000, 0x7fff, 0, 1, 40000, 0xabcd, 12345, 0x00ff, 0x5555, 0xaaaa],
    input: [11, 22, 33, 0xbeef, 55],
    coils: 16,
  });
  bank.coils[0] = true;
  bank.coils[3] = true;
  bank.coils[9] = true;
  server.setUnit(UNIT_ID, bank);
  port = await server.listen();
});
afterAll(() => server.close());

describe('mbpoll against the simulator', () => {
  // Values to write go after the host, behind `--`.
  const mbpoll = (args: string[], writeValues: string[] = []): Promise<string> =>
    tool('mbpoll', [
      '-m',
      'tcp',
      '-p',
      String(port),
      '-a',
      String(UNIT_ID),
      '-1',
      '-o',
      '2',
      ...args,
      '127.0.0.1',
      ...(writeValues.length ? ['--', ...writeValues] : []),
    ]);

  it('reads holding registers (reference 1 = address 0)', async () => {
    const values = parseMbpoll(await mbpoll(['-r', '1', '-c', '12', '-t', '4:hex']));
    const expected = [...bank.holding].map((w, i) => [
      i + 1,
      `0x${w.toString(16).toUpperCase().padStart(4, '0')}`,
    ]);
    expect([...values]).toEqual(expected);
  });

  it('reads input registers from an offset, and coils', async () => {
    const inputs = parseMbpoll(await mbpoll(['-r', '3', '-c', '3', '-t', '3']));
    expect([...inputs]).toEqual([
      [3, '33'],
      [4, String(0xbeef)], // printed as "48879 (-16657)": unsigned first
      [5, '55'],
    ]);
    const coils = parseMbpoll(await mbpoll(['-r', '1', '-c', '10', '-t', '0']));
    expect([...coils.values()].join('')).toBe('1001000001');
  });

  it('writes registers with FC16 that we then hold', async () => {
    await mbpoll(['-r', '11', '-t', '4'], ['4660', '22136']);
    expect([...bank.holding.slice(10, 12)]).toEqual([0x1234, 0x5678]);
  });
});

// Reads, an out-of-range read, and a write, printed as one JSON line.
const PYMODBUS_SCRIPT = `
import json, sys
from pymodbus.client import ModbusTcpClient
port, unit = int(sys.argv[1]), int(sys.argv[2])
client = ModbusTcpClient("127.0.0.1", port=port, timeout=2)
if not client.connect():
    sys.exit("cannot connect")
def words(reply):
    return {"exception": reply.exception_code} if reply.isError() else reply.registers
out = {
    "holding": words(client.read_holding_registers(0, 12, slave=unit)),
    "input": words(client.read_input_registers(1, 4, slave=unit)),
    "beyond": words(client.read_holding_registers(10, 5, slave=unit)),
    "write": not client.write_registers(4, [7, 8], slave=unit).isError(),
    "after": words(client.read_holding_registers(3, 3, slave=unit)),
}
client.close()
print(json.dumps(out))
`;

describe('pymodbus against the simulator', () => {
  it('reads and writes what the simulator holds', async () => {
    await requirePymodbus();
    const before = [...bank.holding];
    const stdout = await tool(PYTHON, ['-c', PYMODBUS_SCRIPT, String(port), String(UNIT_ID)]);
    const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
    expect(out).toEqual({
      holding: before,
      input: [22, 33, 0xbeef, 55],
      beyond: { exception: 2 },
      write: true,
      after: [before[3], 7, 8],
    });
    expect(server.maxOutstanding).toBe(1);
  });
});
