// Independent RTU masters and slaves against ours over a real socat pty pair: mbpoll
// (libmodbus) and pymodbus read our simulator, and our link reads a pymodbus RTU server. If
// they agree on the bytes, our framing and CRC are not merely self-consistent. The tools are
// required: a missing one fails the test with how to install it.
//
// pymodbus runs 8N1: its pyserial cannot re-apply even parity to a Linux pty (termios says
// EINVAL on the second tcsetattr), which is a pty quirk, not an RTU one. mbpoll runs 8E1.
// pymodbus 3.0.0rc1 also truncates its client timeout to whole seconds.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ok } from '../../../core/result';
import { ModbusLink } from '../../../drivers/modbus/modbus-link';
import { rtuConnector } from '../../../drivers/modbus/rtu-connector';
import type { SerialFraming } from '../../../drivers/modbus/rtu-timing';
import { RegisterBankUnit } from '../../../drivers/sim/modbus-register-bank';
import { ModbusRtuServer } from '../../../drivers/sim/modbus-rtu-server';
import { parseMbpoll, PYTHON, requirePymodbus, tool } from '../../support/interop-tools';
import { usePtyPairs } from '../../support/pty';

const newPtyPair = usePtyPairs();
const UNIT_ID = 7;
const EIGHT_N_ONE = { baudRate: 9600, parity: 'none', stopBits: 1, dataBits: 8 } as const;

async function simulator(framing: SerialFraming = EIGHT_N_ONE) {
  const pty = await newPtyPair();
  const server = new ModbusRtuServer();
  const bank = new RegisterBankUnit({
    holding: [0x0102, 0xfffe, 0x8000, 0x7fff, 0, 1, 40000, 0xabcd],
    input: [11, 22, 33, 0xbeef, 55],
    coils: 16,
  });
  bank.coils[0] = true;
  bank.coils[3] = true;
  server.setUnit(UNIT_ID, bank).setUnit(UNIT_ID + 1, new RegisterBankUnit({ holding: [42] }));
  await server.openSerial(pty.b, framing);
  return { pty, server, bank };
}

describe('mbpoll (libmodbus) against our RTU simulator', () => {
  it('reads holding registers, input registers and coils at 9600 8E1, and writes', async () => {
    const { pty, server, bank } = await simulator({ ...EIGHT_N_ONE, parity: 'even' });
    try {
      const mbpoll = (args: string[], writeValues: string[] = []): Promise<string> =>
        tool('mbpoll', [
          ...['-m', 'rtu', '-b', '9600', '-P', 'even', '-a', String(UNIT_ID), '-1', '-o', '1'],
          ...args,
          pty.a,
          ...(writeValues.length ? ['--', ...writeValues] : []),
        ]);
      const holding = parseMbpoll(await mbpoll(['-r', '1', '-c', '5', '-t', '4:hex']));
      expect([...holding.values()]).toEqual(['0x0102', '0xFFFE', '0x8000', '0x7FFF', '0x0000']);
      const inputs = parseMbpoll(await mbpoll(['-r', '3', '-c', '3', '-t', '3']));
      expect([...inputs]).toEqual([
        [3, '33'],
        [4, String(0xbeef)],
        [5, '55'],
      ]);
      const coils = parseMbpoll(await mbpoll(['-r', '1', '-c', '5', '-t', '0']));
      expect([...coils.values()].join('')).toBe('10010');
      await mbpoll(['-r', '7', '-t', '4'], ['4660', '22136']);
      expect([...bank.holding.slice(6, 8)]).toEqual([0x1234, 0x5678]);
      expect(server.maxOutstanding).toBe(1);
      expect(server.busStats()[0]!.noiseBytes).toBe(0);
    } finally {
      await server.close();
    }
  });
});

// Reads, an out-of-range read, a write, and a unit nobody has, printed as one JSON line.
const PYMODBUS_CLIENT = `
import json, sys
from pymodbus.client import ModbusSerialClient
port, unit = sys.argv[1], int(sys.argv[2])
# pymodbus 3.0.0rc1 truncates the timeout to whole seconds (int(timeout)).
client = ModbusSerialClient(method="rtu", port=port, baudrate=9600, parity="N", stopbits=1,
                            bytesize=8, timeout=1, retries=0)
if not client.connect():
    sys.exit("cannot open " + port)
def words(reply):
    if not hasattr(reply, "isError"):
        return "no reply"
    return {"exception": reply.exception_code} if reply.isError() else reply.registers
out = {
    "holding": words(client.read_holding_registers(0, 8, slave=unit)),
    "input": words(client.read_input_registers(1, 4, slave=unit)),
    "beyond": words(client.read_holding_registers(6, 5, slave=unit)),
    "write": not client.write_registers(4, [7, 8], slave=unit).isError(),
    "after": words(client.read_holding_registers(3, 3, slave=unit)),
    "other": words(client.read_holding_registers(0, 1, slave=unit + 1)),
    "nobody": client.read_holding_registers(0, 1, slave=99).isError(),
}
client.close()
print(json.dumps(out))
`;

describe('pymodbus RTU client against our RTU simulator', () => {
  it('reads and writes what the simulator holds; a missing unit is silence', async () => {
    await requirePymodbus();
    const { pty, server, bank } = await simulator();
    try {
      const before = [...bank.holding];
      const stdout = await tool(PYTHON, ['-c', PYMODBUS_CLIENT, pty.a, String(UNIT_ID)]);
      const out = JSON.parse(stdout.trim().split('\n').at(-1)!) as Record<string, unknown>;
      expect(out).toEqual({
        holding: before,
        input: [22, 33, 0xbeef, 55],
        beyond: { exception: 2 },
        write: true,
        after: [before[3], 7, 8],
        other: [42],
        nobody: true,
      });
      expect(server.busStats()[0]).toMatchObject({ unanswered: 1, maxOutstanding: 1 });
    } finally {
      await server.close();
    }
  });
});

// A pymodbus RTU slave: unit 5, holding register n = 100 + n, input register n = 500 + n.
const PYMODBUS_SERVER = `
import sys
from pymodbus.server import StartSerialServer
from pymodbus.datastore import ModbusSequentialDataBlock, ModbusSlaveContext, ModbusServerContext
from pymodbus.transaction import ModbusRtuFramer
slave = ModbusSlaveContext(
    hr=ModbusSequentialDataBlock(0, [100 + i for i in range(200)]),
    ir=ModbusSequentialDataBlock(0, [500 + i for i in range(200)]),
    zero_mode=True,
)
context = ModbusServerContext(slaves={5: slave}, single=False)
StartSerialServer(context=context, framer=ModbusRtuFramer, port=sys.argv[1],
                  baudrate=9600, parity="N", stopbits=1, bytesize=8, timeout=0.005)
`;

describe('our RTU link against a pymodbus RTU server', () => {
  it('reads and writes registers', async () => {
    await requirePymodbus();
    const pty = await newPtyPair();
    const python = spawn(PYTHON, ['-c', PYMODBUS_SERVER, pty.b], { stdio: 'ignore' });
    const exited = new Promise((resolve) => python.once('exit', resolve));
    const endpoint = { kind: 'modbus-rtu', path: pty.a, unitId: 5, ...EIGHT_N_ONE } as const;
    const link = new ModbusLink(rtuConnector(endpoint), { timeoutMs: 500 });
    try {
      const unit = link.unit(5);
      // The server opens its port some time after Python starts; until then requests time out.
      await expect
        .poll(() => unit.readHoldingRegisters(0, 4), { timeout: 8000, interval: 100 })
        .toEqual(ok(Uint16Array.from([100, 101, 102, 103])));
      expect(await unit.readInputRegisters(10, 3)).toEqual(ok(Uint16Array.from([510, 511, 512])));
      expect(await unit.writeRegisters(20, [0xabcd, 1])).toEqual(ok(undefined));
      expect(await unit.readHoldingRegisters(19, 4)).toEqual(
        ok(Uint16Array.from([119, 0xabcd, 1, 122])),
      );
    } finally {
      await link.close();
      python.kill('SIGTERM');
      await exited;
    }
  });
});
