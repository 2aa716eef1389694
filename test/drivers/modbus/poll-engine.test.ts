// The poll engine against the Modbus TCP simulator on loopback: block reads by class,
// refusal learning with a unit that answers 02 for some registers, and writes that go out
// first in a cycle.
import { afterEach, describe, expect, it } from 'vitest';
import { ModbusLink } from '../../../drivers/modbus/modbus-link';
import { PollEngine } from '../../../drivers/modbus/poll-engine';
import type { PolledRange } from '../../../drivers/modbus/poll-types';
import { tcpConnector } from '../../../drivers/modbus/tcp-connector';
import { RegisterBankUnit } from '../../../drivers/sim/modbus-register-bank';
import { ModbusTcpServer } from '../../../drivers/sim/modbus-tcp-server';
import { ILLEGAL_ADDRESS, type ModbusUnitHandler } from '../../../drivers/sim/modbus-unit-handler';

interface Logged {
  op: 'read' | 'write';
  address: number;
  count: number;
  refused: boolean;
}

/** Holding register n = 1000 + n; reads touching `missing` answer exception 02, like a device without them. */
function unit(missing: readonly number[] = []) {
  const bank = new RegisterBankUnit({ holding: Array.from({ length: 300 }, (_, i) => 1000 + i) });
  const log: Logged[] = [];
  const handler: ModbusUnitHandler = {
    readHoldingRegisters(address, count) {
      const refused = missing.some((a) => a >= address && a < address + count);
      log.push({ op: 'read', address, count, refused });
      return refused
        ? { ok: false, error: { exceptionCode: ILLEGAL_ADDRESS } }
        : bank.readHoldingRegisters(address, count);
    },
    writeRegisters(address, values) {
      log.push({ op: 'write', address, count: values.length, refused: false });
      return bank.writeRegisters(address, values);
    },
  };
  return { handler, log, bank };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

async function engineFor(handler: ModbusUnitHandler, options = {}) {
  const server = new ModbusTcpServer().setUnit(1, handler);
  const port = await server.listen();
  const link = new ModbusLink(tcpConnector('127.0.0.1', port), { timeoutMs: 300 });
  cleanups.push(async () => {
    await link.close();
    await server.close();
  });
  return { engine: new PollEngine(link.unit(1), { maxGapRegs: 125, ...options }), server };
}

const h = (address: number, count = 1, pollClass: 'fast' | 'slow' = 'fast'): PolledRange => ({
  fc: 3,
  address,
  count,
  pollClass,
});

describe('PollEngine over TCP', () => {
  it('reads fast ranges every cycle and slow ones every Nth, merged into blocks', async () => {
    const { handler, log } = unit();
    const { engine } = await engineFor(handler, { slow: { everyCycles: 3, everyMs: 60_000 } });
    const ranges = [h(10, 2), h(20), h(200, 2, 'slow'), h(150, 1, 'slow')];
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) {
      const cycle = await engine.runCycle(ranges);
      if (!cycle.ok) throw new Error(cycle.error.message);
      counts.push(cycle.value.requests);
      expect(Array.from(cycle.value.values.words(h(10, 2))!)).toEqual([1010, 1011]);
      if (cycle.value.classes.has('slow'))
        expect(cycle.value.values.words(h(200, 2))).toEqual(Uint16Array.from([1200, 1201]));
    }
    // Cycles 1 and 4 read slow: 10..21 and 150..201 are more than 125 apart → 2 blocks.
    expect(counts).toEqual([2, 1, 1, 2]);
    expect(log.map((l) => [l.address, l.count])).toEqual([
      [10, 11],
      [150, 52],
      [10, 11],
      [10, 11],
      [10, 11],
      [150, 52],
    ]);
  });

  it('learns refused registers, reports their ranges unreadable and stabilises', async () => {
    const { handler, log } = unit([51, 70]);
    const { engine } = await engineFor(handler);
    const ranges = [h(40), h(45, 2), h(51), h(60), h(80)];
    const requests: number[] = [];
    for (let i = 0; i < 4; i++) {
      const cycle = await engine.runCycle(ranges);
      if (!cycle.ok) throw new Error(cycle.error.message);
      requests.push(cycle.value.requests);
      expect(cycle.value.unreadable).toEqual([h(51)]);
      expect(cycle.value.values.words(h(80))).toEqual(Uint16Array.of(1080));
      expect(cycle.value.values.words(h(45, 2))).toEqual(Uint16Array.of(1045, 1046));
    }
    // Learning costs a few refused reads once; then no block crosses 51 or 61..79.
    expect(requests.slice(1)).toEqual([3, 3, 3]);
    expect(requests[0]).toBe(7);
    expect(log.slice(-3)).toEqual([
      { op: 'read', address: 40, count: 7, refused: false },
      { op: 'read', address: 60, count: 1, refused: false },
      { op: 'read', address: 80, count: 1, refused: false },
    ]);
    expect(engine.refusals.list(Date.now()).map((r) => [r.from, r.to])).toEqual(
      expect.arrayContaining([
        [51, 52],
        [61, 80],
      ]),
    );
  });

  it('sends writes submitted between cycles first, in order, and the reads see them', async () => {
    const { handler, log } = unit();
    const { engine } = await engineFor(handler);
    const first = engine.submitWrite(async (io) => io.writeRegisters(10, [7, 8]));
    const second = engine.submitWrite(async (io) => io.writeRegisters(20, [9]));
    expect(log).toEqual([]); // nothing goes out before the cycle
    const cycle = await engine.runCycle([h(10, 2), h(20)]);
    if (!cycle.ok) throw new Error(cycle.error.message);
    expect(await first).toEqual({ ok: true, value: undefined });
    expect(await second).toEqual({ ok: true, value: undefined });
    expect(log.map((l) => [l.op, l.address])).toEqual([
      ['write', 10],
      ['write', 20],
      ['read', 10],
    ]);
    expect(Array.from(cycle.value.values.words(h(10, 11))!)).toEqual([
      7, 8, 1012, 1013, 1014, 1015, 1016, 1017, 1018, 1019, 9,
    ]);
    expect(cycle.value).toMatchObject({ writes: 2, requests: 3 });
  });

  it('replaces a pending write with the same key, and settles pending writes on close', async () => {
    const { handler, log } = unit();
    const { engine } = await engineFor(handler);
    const older = engine.submitWrite(async (io) => io.writeRegisters(5, [1]), 'limit');
    const newer = engine.submitWrite(async (io) => io.writeRegisters(5, [2]), 'limit');
    expect(await older).toMatchObject({ ok: false, error: { code: 'superseded' } });
    await engine.runCycle([]);
    expect(await newer).toMatchObject({ ok: true });
    expect(log).toEqual([{ op: 'write', address: 5, count: 1, refused: false }]);
    const orphan = engine.submitWrite(async (io) => io.writeRegisters(5, [3]));
    engine.close();
    expect(await orphan).toMatchObject({ ok: false, error: { code: 'closed' } });
    expect(await engine.submitWrite(async (io) => io.writeRegisters(5, [4]))).toMatchObject({
      ok: false,
      error: { code: 'closed' },
    });
  });

  it('fails the cycle when the unit does not answer, and keeps slow due', async () => {
    const { handler } = unit();
    const { engine, server } = await engineFor(handler, { slow: { everyCycles: 100 } });
    server.setFault(1, { kind: 'no-reply' });
    const failed = await engine.runCycle([h(1), h(100, 1, 'slow')]);
    expect(failed).toMatchObject({ ok: false, error: { code: 'timeout' } });
    server.setFault(1, null);
    const next = await engine.runCycle([h(1), h(100, 1, 'slow')]);
    expect(next.ok && [...next.value.classes]).toEqual(['fast', 'slow']);
  });
});
