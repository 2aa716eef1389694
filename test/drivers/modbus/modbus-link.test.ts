// The link against the simulator on loopback: reads, writes, exception mapping, and the
// one-request-at-a-time rule.
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../../core/result';
import { exceptionError } from '../../../drivers/modbus/unit-client';
import { closeSimLinks, expectedWords, simLink } from './support/sim-link';

afterEach(closeSimLinks);

describe('ModbusLink reads and writes', () => {
  it('reads holding and input registers of several units on one connection', async () => {
    const { link, server, port } = await simLink();
    const unit1 = link.unit(1);
    const unit3 = link.unit(3);
    expect(unit3.endpoint).toBe(`modbus-tcp://127.0.0.1:${port}?unit=3`);
    expect(await unit1.readHoldingRegisters(0, 125)).toEqual(
      ok(Uint16Array.from(expectedWords(1, 0, 125))),
    );
    const holding = await unit1.readHoldingRegisters(10, 5);
    expect(holding).toEqual(ok(Uint16Array.from(expectedWords(1, 10, 5))));
    const input = await unit3.readInputRegisters(0, 3);
    expect(input).toEqual(ok(Uint16Array.from(expectedWords(3, 500, 3))));
    expect(server.connectionStats()).toHaveLength(1);
  });

  it('writes registers with FC16 and FC6, and coils with FC5 and FC15', async () => {
    const { link, banks } = await simLink();
    const unit = link.unit(2);
    expect(await unit.writeRegisters(4, [0, 0xffff, 1234])).toEqual(ok(undefined));
    expect(await unit.writeRegister(7, 42)).toEqual(ok(undefined));
    expect(await unit.readHoldingRegisters(3, 5)).toEqual(
      ok(Uint16Array.from([2003, 0, 0xffff, 1234, 42])),
    );
    expect(await unit.writeCoils(1, [true, false, true])).toEqual(ok(undefined));
    expect(await unit.writeCoil(0, true)).toEqual(ok(undefined));
    expect(await unit.readCoils(0, 5)).toEqual(ok([true, true, false, true, false]));
    banks.get(2)!.discreteInputs[9] = true;
    expect(await unit.readDiscreteInputs(8, 3)).toEqual(ok([false, true, false]));
  });

  it('throws RangeError for requests outside protocol limits instead of sending them', async () => {
    const { link, server } = await simLink();
    const unit = link.unit(1);
    expect(() => unit.readHoldingRegisters(0, 126)).toThrow(RangeError);
    expect(() => unit.readHoldingRegisters(0, 0)).toThrow(RangeError);
    expect(() => unit.writeRegisters(0, new Array(124).fill(0))).toThrow(RangeError);
    expect(() => unit.writeRegisters(0, [70000])).toThrow(RangeError);
    expect(() => unit.readInputRegisters(65535, 2)).toThrow(RangeError);
    expect(() => link.unit(256).readHoldingRegisters(0, 1)).toThrow(RangeError);
    expect(server.connectionStats()).toHaveLength(0);
  });
});

describe('ModbusLink exception mapping', () => {
  it.each([1, 2, 3, 4, 5, 6, 10, 11])(
    'maps exception %i to its ModbusError',
    async (exceptionCode) => {
      const { link, server } = await simLink();
      server.setFault(1, { kind: 'exception', exceptionCode });
      const result = await link.unit(1).readHoldingRegisters(0, 1);
      expect(result).toEqual({ ok: false, error: exceptionError(exceptionCode) });
      expect(link.state).toBe('up'); // an exception is a reply: the connection stays
    },
  );

  it('maps a real illegal-address reply and a gateway with nothing behind a unit id', async () => {
    const { link } = await simLink({}, { unknownUnit: 'gateway-exception' });
    const beyond = await link.unit(1).readHoldingRegisters(199, 2);
    expect(!beyond.ok && beyond.error).toMatchObject({ code: 'illegal_address', exceptionCode: 2 });
    const missing = await link.unit(42).readHoldingRegisters(0, 1);
    expect(!missing.ok && missing.error).toMatchObject({
      code: 'gateway_target',
      exceptionCode: 11,
    });
  });

  it('rejects a reply with fewer registers than asked as bad_reply and reconnects', async () => {
    const { link, server } = await simLink();
    server.setFault(1, { kind: 'short-reply' });
    const result = await link.unit(1).readHoldingRegisters(0, 4);
    expect(!result.ok && result.error.code).toBe('bad_reply');
    server.setFault(1, null);
    expect(await link.unit(1).readHoldingRegisters(0, 4)).toEqual(
      ok(Uint16Array.from(expectedWords(1, 0, 4))),
    );
    expect(server.connectionStats()).toHaveLength(2);
  });
});

describe('ModbusLink request queue', () => {
  it('never has two requests in flight: 50 concurrent callers over 3 units', async () => {
    const { link, server } = await simLink({ timeoutMs: 2000 });
    // Delayed replies, so that a pipelined request would be seen outstanding at the server.
    for (const unitId of [1, 2, 3]) server.setFault(unitId, { kind: 'delay', delayMs: 2 });
    // Connected first, so every caller below meets a link that is up and could send at once.
    expect((await link.unit(1).readHoldingRegisters(0, 1)).ok).toBe(true);
    const calls = Array.from({ length: 50 }, (_, i) => {
      const unitId = (i % 3) + 1;
      const address = i * 3;
      return link
        .unit(unitId)
        .readHoldingRegisters(address, 5)
        .then((result) => ({ result, expected: expectedWords(unitId, address, 5) }));
    });
    const outcomes = await Promise.all(calls);
    for (const { result, expected } of outcomes)
      expect(result).toEqual(ok(Uint16Array.from(expected)));
    expect(server.connectionStats()).toMatchObject([{ requests: 51, maxOutstanding: 1 }]);
  });

  it('keeps the inter-request gap between one reply and the next request', async () => {
    const { link, server, banks } = await simLink({ interRequestGapMs: 40 });
    const arrivalsMs: number[] = [];
    const bank = banks.get(1)!;
    server.setUnit(1, {
      readHoldingRegisters: (address, count) => {
        arrivalsMs.push(performance.now());
        return bank.readHoldingRegisters(address, count);
      },
    });
    await Promise.all(Array.from({ length: 5 }, () => link.unit(1).readHoldingRegisters(0, 1)));
    const gapsMs = arrivalsMs.slice(1).map((t, i) => t - arrivalsMs[i]!);
    expect(gapsMs).toHaveLength(4);
    for (const gapMs of gapsMs) expect(gapMs).toBeGreaterThanOrEqual(38);
  });

  it('serves units in turn, so a unit with a long queue does not starve the others', async () => {
    const { link } = await simLink();
    const order: number[] = [];
    const track = (unitId: number) => () => void order.push(unitId);
    const calls = [
      ...Array.from({ length: 4 }, () => link.unit(1).readHoldingRegisters(0, 1).then(track(1))),
      link.unit(2).readHoldingRegisters(0, 1).then(track(2)),
    ];
    await Promise.all(calls);
    expect(order.indexOf(2)).toBe(1);
  });
});
