// The link with the RTU connector against the RTU simulator over a real socat pty pair:
// every function code, several units on one bus, and the silences between frames.
import { describe, expect, it } from 'vitest';
import { ok } from '../../../core/result';
import { parseDeviceUrl, type DeviceEndpoint } from '../../../core/site/device-url';
import { LinkPool } from '../../../drivers/modbus/link-pool';
import { ModbusLink } from '../../../drivers/modbus/modbus-link';
import { rtuConnector } from '../../../drivers/modbus/rtu-connector';
import { silentIntervalMs } from '../../../drivers/modbus/rtu-timing';
import { expectedWords } from './support/sim-link';
import { rtuEndpoint, simServer, useRtuSims } from './support/rtu-sim-link';

const sims = useRtuSims();

const words = (unitId: number, address: number, count: number): ReturnType<typeof ok> =>
  ok(Uint16Array.from(expectedWords(unitId, address, count)));

describe('ModbusLink over Modbus RTU (pty)', () => {
  it('reads and writes with every function code the link knows', async () => {
    const { link, banks } = await sims.serial();
    const unit = link.unit(2);
    expect(await unit.readHoldingRegisters(0, 5)).toEqual(words(2, 0, 5));
    expect(await unit.readInputRegisters(10, 125)).toEqual(
      ok(Uint16Array.from({ length: 125 }, (_, i) => 2500 + 10 + i)),
    );
    expect(await unit.writeRegisters(3, [0xbeef, 7])).toEqual(ok(undefined));
    expect(await unit.writeRegister(5, 0x8000)).toEqual(ok(undefined));
    expect([...banks.get(2)!.holding.slice(3, 6)]).toEqual([0xbeef, 7, 0x8000]);
    expect(await unit.writeCoils(1, [true, false, true])).toEqual(ok(undefined));
    expect(await unit.writeCoil(9, true)).toEqual(ok(undefined));
    expect(await unit.readCoils(0, 10)).toEqual(
      ok([false, true, false, true, false, false, false, false, false, true]),
    );
    banks.get(2)!.discreteInputs[2] = true;
    expect(await unit.readDiscreteInputs(0, 3)).toEqual(ok([false, false, true]));
    expect(await unit.readHoldingRegisters(199, 2)).toMatchObject({
      ok: false,
      error: { code: 'illegal_address', exceptionCode: 2 },
    });
  });

  it('serves several units on one bus strictly one at a time, each with its own reply', async () => {
    const { link, server } = await sims.serial();
    const calls = Array.from({ length: 30 }, (_, i) => {
      const unitId = (i % 3) + 1;
      return link
        .unit(unitId)
        .readHoldingRegisters(i, 4)
        .then((result) => expect(result).toEqual(words(unitId, i, 4)));
    });
    await Promise.all(calls);
    const [bus] = server.busStats();
    expect(bus).toMatchObject({ requests: 30, replies: 30, maxOutstanding: 1, noiseBytes: 0 });
    // Between our reply and the next request the line stayed quiet for at least t3.5.
    expect(bus!.minTurnaroundMs).toBeGreaterThanOrEqual(
      silentIntervalMs({ baudRate: 9600, parity: 'even', stopBits: 1, dataBits: 8 }),
    );
  });

  it('keeps the fixed 1.75 ms silence above 19200 baud', async () => {
    // At 115200 baud our own 8-byte request lasts 0.7 ms, so only the silence keeps the gap.
    const pty = await sims.ptyPair();
    const { server } = simServer();
    await server.openSerial(pty.b, { baudRate: 115200, parity: 'none', stopBits: 1, dataBits: 8 });
    const endpoint = { ...rtuEndpoint(pty.a), baudRate: 115200, parity: 'none' as const };
    const link = new ModbusLink(rtuConnector(endpoint), { timeoutMs: 300 });
    try {
      for (let i = 0; i < 20; i++)
        expect(await link.unit(1).readHoldingRegisters(0, 1)).toEqual(words(1, 0, 1));
      expect(server.busStats()[0]!.minTurnaroundMs).toBeGreaterThanOrEqual(1.75);
    } finally {
      await Promise.all([link.close(), server.close()]);
    }
  });

  it('a silent unit costs a healthy unit on the same bus at most about its timeout', async () => {
    const timeoutMs = 200;
    const { link, server } = await sims.serial({ timeoutMs });
    // The first connection drains the line too; start timing on a link that is up.
    expect(await link.unit(1).readHoldingRegisters(0, 1)).toEqual(words(1, 0, 1));
    server.setFault(2, { kind: 'no-reply' });
    const deadCalls = Array.from({ length: 4 }, () => link.unit(2).readHoldingRegisters(0, 1));
    const latenciesMs: number[] = [];
    const stopAtMs = performance.now() + 900;
    while (performance.now() < stopAtMs) {
      const startedMs = performance.now();
      expect(await link.unit(1).readHoldingRegisters(5, 2)).toEqual(words(1, 5, 2));
      latenciesMs.push(performance.now() - startedMs);
    }
    // One timeout, plus re-opening the port and draining the line (100 ms at 9600 baud).
    expect(Math.max(...latenciesMs)).toBeLessThan(timeoutMs + 100 + 60);
    expect(latenciesMs.length).toBeGreaterThanOrEqual(3);
    expect((await Promise.all(deadCalls)).map((r) => !r.ok && r.error.code)).toEqual(
      new Array(4).fill('timeout'),
    );
    expect(link.health(2).state).toBe('offline');
    expect(link.health(1).state).toBe('ok');
  });

  it('sends broadcast writes to every unit and confirms them after the turnaround delay', async () => {
    const { link, server, banks } = await sims.serial();
    expect(await link.unit(1).readHoldingRegisters(0, 1)).toEqual(words(1, 0, 1)); // link up
    const startedMs = performance.now();
    expect(await link.unit(0).writeRegisters(7, [0xcafe, 0xf00d])).toEqual(ok(undefined));
    expect(performance.now() - startedMs).toBeGreaterThanOrEqual(100);
    expect(await link.unit(0).writeRegister(9, 5)).toEqual(ok(undefined));
    for (const bank of banks.values())
      expect([...bank.holding.slice(7, 10)]).toEqual([0xcafe, 0xf00d, 5]);
    expect(server.busStats()[0]).toMatchObject({ broadcasts: 2, replies: 1 });
    expect(await link.unit(3).readHoldingRegisters(7, 1)).toEqual(ok(Uint16Array.from([0xcafe])));
    // A broadcast read is not a thing: nobody answers it.
    expect(await link.unit(0).readHoldingRegisters(0, 1)).toMatchObject({
      ok: false,
      error: { code: 'timeout' },
    });
  });

  it('LinkPool gives every unit on one serial port the same link', async () => {
    const pty = await sims.ptyPair();
    const { server } = simServer();
    await server.openSerial(pty.b);
    const pool = new LinkPool({ timeoutMs: 300 });
    const endpoint = (unitId: number): DeviceEndpoint => {
      const parsed = parseDeviceUrl(`modbus-rtu://${pty.a}?baud=9600&parity=even&unit=${unitId}`);
      if (!parsed.ok) throw new Error(parsed.error.message);
      return parsed.value;
    };
    try {
      const units = [1, 2, 3].map((unitId) => {
        const unit = pool.unit(endpoint(unitId));
        if (!unit.ok) throw new Error(unit.error.message);
        return unit.value;
      });
      expect(pool.size).toBe(1);
      expect(units[1]!.endpoint).toBe(`modbus-rtu://${pty.a}?unit=2`);
      const results = await Promise.all(units.map((unit) => unit.readHoldingRegisters(7, 1)));
      expect(results).toEqual([words(1, 7, 1), words(2, 7, 1), words(3, 7, 1)]);
      expect(server.busStats()).toHaveLength(1);
      expect(server.maxOutstanding).toBe(1);
    } finally {
      await Promise.all([pool.closeAll(), server.close()]);
    }
  });
});
