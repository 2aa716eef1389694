// The simulator seen from raw bytes: framing, function codes, limits and bad input.
import { afterEach, describe, expect, it } from 'vitest';
import { RegisterBankUnit } from '../../../drivers/sim/modbus-register-bank';
import {
  ModbusTcpServer,
  type ModbusTcpServerOptions,
} from '../../../drivers/sim/modbus-tcp-server';
import { fail } from '../../../core/result';
import { frame, rawClient, readPdu, type RawClient } from '../modbus/support/raw-client';

const servers: ModbusTcpServer[] = [];
const clients: RawClient[] = [];
afterEach(async () => {
  clients.splice(0).forEach((c) => c.end());
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(
  options: ModbusTcpServerOptions = {},
): Promise<{ server: ModbusTcpServer; bank: RegisterBankUnit; port: number }> {
  const server = new ModbusTcpServer(options);
  servers.push(server);
  const bank = new RegisterBankUnit({
    holding: [10, 11, 12, 13, 14],
    input: [0xfffe, 1, 2],
    coils: 16,
    discreteInputs: 8,
  });
  server.setUnit(1, bank);
  const port = await server.listen();
  return { server, bank, port };
}

async function client(port: number): Promise<RawClient> {
  const c = await rawClient(port);
  clients.push(c);
  return c;
}

/** Sends one request and returns the reply PDU as plain numbers. */
async function ask(
  c: RawClient,
  unitId: number,
  pdu: number[],
  transactionId = 7,
): Promise<number[]> {
  const before = c.frames.length;
  c.send(frame(transactionId, unitId, pdu));
  const frames = await c.waitForFrames(before + 1);
  const reply = frames[before]!;
  expect(reply.transactionId).toBe(transactionId);
  expect(reply.unitId).toBe(unitId);
  return [...reply.pdu];
}

describe('ModbusTcpServer function codes', () => {
  it('reads holding (FC3) and input (FC4) registers big-endian', async () => {
    const { port } = await start();
    const c = await client(port);
    expect(await ask(c, 1, readPdu(3, 1, 3))).toEqual([3, 6, 0, 11, 0, 12, 0, 13]);
    expect(await ask(c, 1, readPdu(4, 0, 2))).toEqual([4, 4, 0xff, 0xfe, 0, 1]);
  });

  it('writes single (FC6) and multiple (FC16) registers and echoes them', async () => {
    const { port, bank } = await start();
    const c = await client(port);
    expect(await ask(c, 1, [6, 0, 2, 0x12, 0x34])).toEqual([6, 0, 2, 0x12, 0x34]);
    expect(await ask(c, 1, [16, 0, 3, 0, 2, 4, 0xab, 0xcd, 0, 9])).toEqual([16, 0, 3, 0, 2]);
    expect([...bank.holding]).toEqual([10, 11, 0x1234, 0xabcd, 9]);
  });

  it('packs coils LSB first (FC1, FC2) and writes them (FC5, FC15)', async () => {
    const { port, bank } = await start();
    const c = await client(port);
    expect(await ask(c, 1, [5, 0, 0, 0xff, 0])).toEqual([5, 0, 0, 0xff, 0]);
    // 10 coils from address 2: 1,0,1,1,0,0,0,0 | 1,0
    expect(await ask(c, 1, [15, 0, 2, 0, 10, 2, 0b00001101, 0b01])).toEqual([15, 0, 2, 0, 10]);
    expect(bank.coils.slice(0, 12)).toEqual([
      true,
      false,
      true,
      false,
      true,
      true,
      false,
      false,
      false,
      false,
      true,
      false,
    ]);
    expect(await ask(c, 1, readPdu(1, 0, 9))).toEqual([1, 2, 0b00110101, 0]);
    bank.discreteInputs[7] = true;
    expect(await ask(c, 1, readPdu(2, 6, 2))).toEqual([2, 1, 0b10]);
  });
});

describe('ModbusTcpServer exceptions', () => {
  it.each([
    ['FC3 over 125 registers', readPdu(3, 0, 126), [0x83, 3]],
    ['FC3 of zero registers', readPdu(3, 0, 0), [0x83, 3]],
    ['FC4 over 125 registers', readPdu(4, 0, 126), [0x84, 3]],
    ['FC1 over 2000 coils', readPdu(1, 0, 2001), [0x81, 3]],
    ['FC16 over 123 registers', [16, 0, 0, 0, 124, 0], [0x90, 3]],
    ['FC16 byte count not 2 × quantity', [16, 0, 0, 0, 1, 4, 0, 1], [0x90, 3]],
    ['FC15 over 1968 coils', [15, 0, 0, 0x07, 0xb1, 0], [0x8f, 3]],
    ['FC5 value neither 0xFF00 nor 0', [5, 0, 0, 0x12, 0x34], [0x85, 3]],
    ['FC3 body too short', [3, 0, 0], [0x83, 3]],
    ['a read past the 16-bit address space', readPdu(3, 0xffff, 2), [0x83, 2]],
    ['a read outside the bank', readPdu(3, 4, 2), [0x83, 2]],
    ['an unsupported function code', [0x2b, 0x0e, 1, 0], [0xab, 1]],
  ])('answers %s with the right exception', async (_name, pdu, expected) => {
    const { port } = await start();
    expect(await ask(await client(port), 1, pdu)).toEqual(expected);
  });

  it('answers 01 for functions the handler lacks and 04 when a handler throws', async () => {
    const { server, port } = await start();
    server.setUnit(2, { readInputRegisters: () => fail({ exceptionCode: 2 }) });
    server.setUnit(3, {
      readHoldingRegisters: () => {
        throw new Error('simulator bug');
      },
    });
    const c = await client(port);
    expect(await ask(c, 2, readPdu(3, 0, 1))).toEqual([0x83, 1]);
    expect(await ask(c, 2, readPdu(4, 0, 1))).toEqual([0x84, 2]);
    expect(await ask(c, 3, readPdu(3, 0, 1))).toEqual([0x83, 4]);
  });

  it('ignores unknown units by default, or answers 0B when configured as a gateway', async () => {
    const silent = await start();
    const c = await client(silent.port);
    c.send(frame(1, 9, readPdu(3, 0, 1)));
    expect(await ask(c, 1, readPdu(3, 0, 1), 2)).toEqual([3, 2, 0, 10]);
    expect(c.frames.map((f) => f.transactionId)).toEqual([2]);

    const gateway = await start({ unknownUnit: 'gateway-exception' });
    expect(await ask(await client(gateway.port), 9, readPdu(3, 0, 1))).toEqual([0x83, 0x0b]);
  });
});

describe('ModbusTcpServer framing', () => {
  it('reassembles a frame sent one byte at a time', async () => {
    const { port } = await start();
    const c = await client(port);
    for (const byte of frame(0x1234, 1, readPdu(3, 0, 2))) {
      c.send([byte]);
      await new Promise((r) => setTimeout(r, 2));
    }
    const [reply] = await c.waitForFrames(1);
    expect(reply!.transactionId).toBe(0x1234);
    expect([...reply!.pdu]).toEqual([3, 4, 0, 10, 0, 11]);
  });

  it('answers every frame of a chunk that holds several, and keeps the partial tail', async () => {
    const { port } = await start();
    const c = await client(port);
    const third = frame(3, 1, readPdu(3, 2, 1));
    c.send(
      Buffer.concat([
        frame(1, 1, readPdu(3, 0, 1)),
        frame(2, 1, readPdu(4, 1, 1)),
        third.subarray(0, 4),
      ]),
    );
    await c.waitForFrames(2);
    c.send(third.subarray(4));
    const frames = await c.waitForFrames(3);
    expect(frames.map((f) => [f.transactionId, ...f.pdu])).toEqual([
      [1, 3, 2, 0, 10],
      [2, 4, 2, 0, 1],
      [3, 3, 2, 0, 12],
    ]);
  });

  it.each([
    ['a protocol id other than 0', [0, 1, 0, 1, 0, 6, 1, 3, 0, 0, 0, 1], /protocol id 1/],
    ['an MBAP length of 0', [0, 1, 0, 0, 0, 0, 1, 3], /length 0/],
    ['an MBAP length over 254', [0, 1, 0, 0, 1, 0x2c, 1, 3], /length 300/],
    ['random bytes', [0xde, 0xad, 0xbe, 0xef, 0xca, 0xfe, 0xba, 0xbe], /protocol id/],
  ])('closes the connection on %s and keeps serving others', async (_name, bytes, reason) => {
    const { server, port } = await start();
    const bad = await client(port);
    bad.send(bytes);
    expect(await bad.waitForClose()).toBe(true);
    expect(server.connectionStats()[0]!.closeReason).toMatch(reason);
    expect(await ask(await client(port), 1, readPdu(3, 0, 1))).toEqual([3, 2, 0, 10]);
  });

  it('survives clients that vanish mid-frame or mid-reply', async () => {
    const { server, port } = await start();
    server.setFault(1, { kind: 'delay', delayMs: 30 });
    const half = await client(port);
    half.send(frame(1, 1, readPdu(3, 0, 1)).subarray(0, 5));
    half.end();
    const impatient = await client(port);
    impatient.send(frame(1, 1, readPdu(3, 0, 1)));
    impatient.end();
    await new Promise((r) => setTimeout(r, 60));
    server.setFault(1, null);
    expect(await ask(await client(port), 1, readPdu(3, 0, 1))).toEqual([3, 2, 0, 10]);
  });
});

describe('ModbusTcpServer lifecycle', () => {
  it('close() drops connected clients, and the port can be bound again', async () => {
    const { server, port } = await start();
    const c = await client(port);
    await server.close();
    expect(await c.waitForClose()).toBe(true);
    await server.close(); // idempotent
    const again = new ModbusTcpServer().setUnit(1, new RegisterBankUnit({ holding: [42] }));
    servers.push(again);
    expect(await again.listen({ port })).toBe(port);
    expect(await ask(await client(port), 1, readPdu(3, 0, 1))).toEqual([3, 2, 0, 42]);
  });
});
