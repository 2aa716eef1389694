// The RTU simulator poked with exact bytes over a real pty pair (and over loopback TCP):
// answers, silence where the bus has nobody, broadcasts, noise, and each fault's wire bytes.
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withCrc } from '../../../drivers/modbus/crc16';
import { RegisterBankUnit } from '../../../drivers/sim/modbus-register-bank';
import { ModbusRtuServer } from '../../../drivers/sim/modbus-rtu-server';
import { usePtyPairs, type PtyPair } from '../../support/pty';

const newPtyPair = usePtyPairs();

interface RawLine {
  send(bytes: Buffer | number[]): void;
  /** The next burst: waits for a first byte, then until the line has been quiet for 40 ms. */
  next(): Promise<Buffer>;
  /** Whatever arrives within `ms` (nothing, when the bus stays silent). */
  within(ms: number): Promise<Buffer>;
}

function rawLine(stream: Duplex): RawLine {
  let received: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => received.push(chunk));
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const take = (): Buffer => {
    const out = Buffer.concat(received);
    received = [];
    return out;
  };
  return {
    send: (bytes) => void stream.write(Buffer.from(bytes)),
    next: async () => {
      const deadlineMs = performance.now() + 2000;
      while (received.length === 0 && performance.now() < deadlineMs) await sleep(5);
      for (let seen = -1; seen !== received.length;) {
        seen = received.length;
        await sleep(40);
      }
      return take();
    },
    within: async (ms) => {
      await sleep(ms);
      return take();
    },
  };
}

let server: ModbusRtuServer;
let bank1: RegisterBankUnit;
let bank2: RegisterBankUnit;
let line: RawLine;
let master: SerialPort;
let pty: PtyPair;

beforeEach(async () => {
  pty = await newPtyPair();
  server = new ModbusRtuServer();
  bank1 = new RegisterBankUnit({ holding: [10, 11, 12, 13], coils: 8 });
  bank2 = new RegisterBankUnit({ holding: [20, 21, 22, 23], coils: 8 });
  server.setUnit(1, bank1).setUnit(2, bank2);
  await server.openSerial(pty.b);
  master = new SerialPort({ path: pty.a, baudRate: 9600, parity: 'even', autoOpen: false });
  await new Promise<void>((resolve, reject) =>
    master.open((error) => (error ? reject(error) : resolve())),
  );
  line = rawLine(master);
});
afterEach(async () => {
  master.removeAllListeners('error');
  master.on('error', () => undefined);
  if (master.isOpen) await new Promise((resolve) => master.close(resolve));
  await server.close();
});

const readRequest = (unitId: number, address: number, count: number): Buffer =>
  withCrc([unitId, 3, 0, address, 0, count]);

describe('ModbusRtuServer on a serial line', () => {
  it('answers the addressed unit with a correct RTU frame', async () => {
    line.send(readRequest(2, 1, 2));
    expect([...(await line.next())]).toEqual([...withCrc([2, 3, 4, 0, 21, 0, 22])]);
    line.send(readRequest(1, 3, 2));
    expect([...(await line.next())]).toEqual([...withCrc([1, 0x83, 2])]); // beyond the bank
  });

  it('stays silent for a unit id nobody on the bus has', async () => {
    line.send(readRequest(9, 0, 1));
    expect((await line.within(150)).length).toBe(0);
    expect(server.busStats()[0]).toMatchObject({ requests: 1, unanswered: 1, replies: 0 });
  });

  it('carries out a broadcast write on every unit, without a reply', async () => {
    line.send(withCrc([0, 6, 0, 0, 0x12, 0x34]));
    expect((await line.within(150)).length).toBe(0);
    expect([bank1.holding[0], bank2.holding[0]]).toEqual([0x1234, 0x1234]);
    line.send(withCrc([0, 15, 0, 0, 0, 3, 1, 0b101]));
    expect((await line.within(150)).length).toBe(0);
    expect(bank2.coils.slice(0, 3)).toEqual([true, false, true]);
    expect(server.busStats()[0]!.broadcasts).toBe(2);
  });

  it('finds a request behind noise, and ignores one with a broken CRC', async () => {
    line.send([0xff, 0x00, 0x13, ...readRequest(1, 0, 1)]);
    expect([...(await line.next())]).toEqual([...withCrc([1, 3, 2, 0, 10])]);
    const broken = readRequest(1, 0, 1);
    broken[7]! ^= 0x40;
    line.send(broken);
    expect((await line.within(150)).length).toBe(0);
    expect(server.busStats()[0]!.noiseBytes).toBe(3 + 8);
  });

  it('puts each fault on the wire as described', async () => {
    const good = withCrc([1, 3, 2, 0, 10]);
    const exchange = async (fault: Parameters<ModbusRtuServer['setFault']>[1]) => {
      server.setFault(1, fault);
      line.send(readRequest(1, 0, 1));
      return [...(await line.next())];
    };
    server.setFault(1, { kind: 'no-reply' });
    line.send(readRequest(1, 0, 1));
    expect((await line.within(150)).length).toBe(0);
    expect(await exchange({ kind: 'exception', exceptionCode: 6 })).toEqual([
      ...withCrc([1, 0x83, 6]),
    ]);
    expect(await exchange({ kind: 'corrupt-crc' })).toEqual([
      ...good.subarray(0, 6),
      good[6]! ^ 0xff,
    ]);
    expect(await exchange({ kind: 'wrong-unit' })).toEqual([...withCrc([2, 3, 2, 0, 10])]);
    expect(await exchange({ kind: 'wrong-unit', replyUnitId: 7 })).toEqual([
      ...withCrc([7, 3, 2, 0, 10]),
    ]);
    expect(await exchange({ kind: 'truncated' })).toEqual([...good.subarray(0, 4)]);
    expect(await exchange({ kind: 'truncated', keepBytes: 2 })).toEqual([1, 3]);
    expect(await exchange({ kind: 'garbage', before: [0xaa], after: [0x55, 0x66] })).toEqual([
      0xaa,
      ...good,
      0x55,
      0x66,
    ]);
    server.setFault(1, { kind: 'delay', delayMs: 150 });
    line.send(readRequest(1, 0, 1));
    expect((await line.within(50)).length).toBe(0);
    expect([...(await line.next())]).toEqual([...good]);
  });

  it('closes the bus when its pty goes away', async () => {
    expect(server.busStats()[0]!.open).toBe(true);
    await pty.kill();
    // The port notices the hang-up on its next read; on a loaded machine that takes a while.
    await expect.poll(() => server.busStats()[0]!.open, { timeout: 10_000 }).toBe(false);
  });
});

describe('ModbusRtuServer over TCP (RTU over TCP)', () => {
  it('answers RTU frames on each connection, as its own bus', async () => {
    const port = await server.listen();
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve) => socket.once('connect', resolve));
    const tcpLine = rawLine(socket);
    tcpLine.send(readRequest(1, 2, 2));
    expect([...(await tcpLine.next())]).toEqual([...withCrc([1, 3, 4, 0, 12, 0, 13])]);
    tcpLine.send(readRequest(5, 0, 1));
    expect((await tcpLine.within(150)).length).toBe(0);
    socket.destroy();
    expect(server.busStats().map((s) => s.peer)).toEqual([
      expect.stringMatching(/^serial /),
      expect.stringMatching(/^tcp 127\.0\.0\.1:\d+$/),
    ]);
  });
});
