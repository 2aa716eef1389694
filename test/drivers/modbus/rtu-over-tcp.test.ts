// RTU frames over TCP (transparent RS-485 gateways) against the RTU simulator on loopback.
import { describe, expect, it } from 'vitest';
import { ok } from '../../../core/result';
import { ModbusLink } from '../../../drivers/modbus/modbus-link';
import { rtuOverTcpConnector } from '../../../drivers/modbus/rtu-over-tcp-connector';
import { expectedWords, sleep } from './support/sim-link';
import { simServer, useRtuSims } from './support/rtu-sim-link';

const sims = useRtuSims();

const words = (unitId: number, address: number, count: number): ReturnType<typeof ok> =>
  ok(Uint16Array.from(expectedWords(unitId, address, count)));
const codeOf = (result: { ok: boolean; error?: { code: string } }): string =>
  result.ok ? 'ok' : result.error!.code;

describe('ModbusLink over RTU over TCP', () => {
  it('reads and writes several units over one connection, one request at a time', async () => {
    const { link, server, banks, port } = await sims.overTcp();
    expect(link.endpoint).toBe(`modbus-rtuovertcp://127.0.0.1:${port}`);
    const reads = Array.from({ length: 12 }, (_, i) => {
      const unitId = (i % 3) + 1;
      return link.unit(unitId).readHoldingRegisters(i * 2, 3);
    });
    expect(await Promise.all(reads)).toEqual(
      Array.from({ length: 12 }, (_, i) => words((i % 3) + 1, i * 2, 3)),
    );
    expect(await link.unit(3).writeRegisters(0, [1, 2, 3])).toEqual(ok(undefined));
    expect([...banks.get(3)!.holding.slice(0, 3)]).toEqual([1, 2, 3]);
    expect(server.busStats()).toHaveLength(1);
    expect(server.busStats()[0]).toMatchObject({ requests: 13, maxOutstanding: 1 });
  });

  it('reports broken replies and a silent unit, then reads correctly again', async () => {
    const { link, server } = await sims.overTcp({ timeoutMs: 300 });
    for (const fault of [{ kind: 'corrupt-crc' }, { kind: 'wrong-unit' }] as const) {
      server.setFault(1, fault);
      expect(codeOf(await link.unit(1).readHoldingRegisters(0, 2))).toBe('bad_reply');
    }
    server.setFault(1, { kind: 'no-reply' });
    expect(codeOf(await link.unit(1).readHoldingRegisters(0, 2))).toBe('timeout');
    server.setFault(1, null);
    expect(await link.unit(1).readHoldingRegisters(4, 2)).toEqual(words(1, 4, 2));
    // Each failure cost the connection; the line was drained on every new one.
    expect(server.busStats().map((bus) => bus.open)).toEqual([false, false, false, true]);
  });

  it('never hands a late reply to a later request', async () => {
    const { link, server } = await sims.overTcp({ timeoutMs: 150 });
    server.setFault(1, { kind: 'delay', delayMs: 200 });
    expect(codeOf(await link.unit(1).readHoldingRegisters(0, 2))).toBe('timeout');
    server.setFault(1, { kind: 'delay', delayMs: 100 });
    expect(await link.unit(1).readHoldingRegisters(10, 2)).toEqual(words(1, 10, 2));
  });

  it('settles pending requests with disconnected when the gateway goes, and reconnects when it is back', async () => {
    const { server } = simServer();
    const tcpPort = await server.listen();
    const link = new ModbusLink(rtuOverTcpConnector('127.0.0.1', tcpPort), {
      timeoutMs: 5000,
      backoff: { initialMs: 50, maxMs: 100, factor: 2 },
    });
    try {
      expect(await link.unit(2).readHoldingRegisters(0, 1)).toEqual(words(2, 0, 1));
      server.setFault(2, { kind: 'delay', delayMs: 4000 });
      const pending = link.unit(2).readHoldingRegisters(0, 1);
      await sleep(50);
      await server.close();
      expect(codeOf(await pending)).toBe('disconnected');
      const again = simServer().server;
      await again.listen({ port: tcpPort });
      try {
        await expect
          .poll(async () => link.unit(2).readHoldingRegisters(1, 1), {
            timeout: 3000,
            interval: 50,
          })
          .toEqual(words(2, 1, 1));
      } finally {
        await again.close();
      }
    } finally {
      await link.close();
    }
  });

  it('names host and port when nothing listens', async () => {
    const { server } = simServer();
    const tcpPort = await server.listen();
    await server.close();
    const link = new ModbusLink(rtuOverTcpConnector('127.0.0.1', tcpPort), { timeoutMs: 300 });
    try {
      const result = await link.unit(1).readHoldingRegisters(0, 1);
      expect(!result.ok && result.error).toMatchObject({
        code: 'disconnected',
        message: expect.stringContaining(`connect to 127.0.0.1:${tcpPort} failed: ECONNREFUSED`),
      });
    } finally {
      await link.close();
    }
  });
});
