// The RTU link when the bus misbehaves (over a real socat pty pair): broken, misaddressed,
// cut-off and late replies, noise, a serial port that vanishes and comes back, and ports
// that cannot be opened at all.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ok } from '../../../core/result';
import { withCrc } from '../../../drivers/modbus/crc16';
import { ModbusLink } from '../../../drivers/modbus/modbus-link';
import { rtuConnector } from '../../../drivers/modbus/rtu-connector';
import type { ModbusRtuFault } from '../../../drivers/sim/modbus-rtu-server';
import { useTempDirs } from '../../support/temp-dir';
import { expectedWords, sleep } from './support/sim-link';
import { rtuEndpoint, useRtuSims } from './support/rtu-sim-link';

const sims = useRtuSims();
const tempDir = useTempDirs('mg-rtu-');

const words = (unitId: number, address: number, count: number): ReturnType<typeof ok> =>
  ok(Uint16Array.from(expectedWords(unitId, address, count)));
const codeOf = (result: { ok: boolean; error?: { code: string } }): string =>
  result.ok ? 'ok' : result.error!.code;

describe('RTU link: broken replies', () => {
  const cases: [string, ModbusRtuFault][] = [
    ['a corrupt CRC', { kind: 'corrupt-crc' }],
    ['a reply from the wrong unit', { kind: 'wrong-unit' }],
    ['a truncated reply', { kind: 'truncated' }],
    ['a reply that is only noise', { kind: 'truncated', keepBytes: 1 }],
  ];
  for (const [what, fault] of cases) {
    it(`reports ${what} as bad_reply well before the timeout; the next request gets its own reply`, async () => {
      const timeoutMs = 1000;
      const { link, server } = await sims.serial({ timeoutMs });
      expect(await link.unit(2).readHoldingRegisters(0, 1)).toEqual(words(2, 0, 1)); // link up
      server.setFault(1, fault);
      const startedMs = performance.now();
      const result = await link.unit(1).readHoldingRegisters(0, 2);
      expect(codeOf(result)).toBe('bad_reply');
      // Found by its CRC, unit id or the silence after it (50 ms at 9600 baud), not by a timeout.
      expect(performance.now() - startedMs).toBeLessThan(timeoutMs / 2);
      server.setFault(1, null);
      expect(await link.unit(1).readHoldingRegisters(10, 2)).toEqual(words(1, 10, 2));
      expect(await link.unit(2).readHoldingRegisters(20, 2)).toEqual(words(2, 20, 2));
      expect(link.health(1).lastError?.code).toBe('bad_reply');
    });
  }

  it('reports exception replies with their code', async () => {
    const { link, server } = await sims.serial();
    server.setFault(3, { kind: 'exception', exceptionCode: 6 });
    expect(await link.unit(3).readHoldingRegisters(0, 1)).toMatchObject({
      ok: false,
      error: { code: 'busy', exceptionCode: 6 },
    });
  });

  it('finds the reply behind noise, and never takes noise after it for the next reply', async () => {
    const { link, server } = await sims.serial();
    // After the real reply comes a perfect look-alike of the next reply, with wrong values:
    // what a late reply from an earlier request would be. It must land in the bin.
    const lookAlike = withCrc([1, 3, 4, 0xde, 0xad, 0xbe, 0xef]);
    server.setFault(1, { kind: 'garbage', before: [0x00, 0xff, 0x01], after: [...lookAlike] });
    expect(await link.unit(1).readHoldingRegisters(0, 2)).toEqual(words(1, 0, 2));
    server.setFault(1, null);
    expect(await link.unit(1).readHoldingRegisters(30, 2)).toEqual(words(1, 30, 2));
  });

  it('never hands a late reply to a later request', async () => {
    const { link, server } = await sims.serial({ timeoutMs: 150 });
    server.setFault(1, { kind: 'delay', delayMs: 200 });
    expect(codeOf(await link.unit(1).readHoldingRegisters(0, 2))).toBe('timeout');
    // Same unit, same shape of reply: only timing tells the late reply from the right one.
    // The next reply takes 100 ms, so the late one (for registers 0–1) would land before it.
    server.setFault(1, { kind: 'delay', delayMs: 100 });
    expect(await link.unit(1).readHoldingRegisters(10, 2)).toEqual(words(1, 10, 2));
    expect(await link.unit(1).readHoldingRegisters(20, 2)).toEqual(words(1, 20, 2));
  });
});

describe('RTU link: the serial port itself', () => {
  it('settles a pending request with disconnected when the port vanishes, and reconnects when it returns', async () => {
    const { link, server, pty } = await sims.serial({
      timeoutMs: 5000,
      backoff: { initialMs: 50, maxMs: 100, factor: 2 },
    });
    expect(await link.unit(1).readHoldingRegisters(0, 1)).toEqual(words(1, 0, 1));
    server.setFault(1, { kind: 'delay', delayMs: 4000 });
    const pending = link.unit(1).readHoldingRegisters(0, 1);
    await sleep(50);
    const killedAtMs = performance.now();
    await pty.kill();
    const result = await pending;
    expect(codeOf(result)).toBe('disconnected');
    expect(performance.now() - killedAtMs).toBeLessThan(500);
    // While the port is gone, requests fail fast and say why.
    await sleep(100);
    const meanwhile = await link.unit(1).readHoldingRegisters(0, 1);
    expect(codeOf(meanwhile)).toBe('disconnected');
    expect(!meanwhile.ok && meanwhile.error.message).toContain(pty.a);

    // The adapter comes back at the same path.
    const again = await sims.ptyPair(pty.dir);
    server.setFault(1, null);
    await server.openSerial(again.b);
    const deadlineMs = performance.now() + 3000;
    let recovered = await link.unit(1).readHoldingRegisters(2, 1);
    while (!recovered.ok && performance.now() < deadlineMs) {
      await sleep(50);
      recovered = await link.unit(1).readHoldingRegisters(2, 1);
    }
    expect(recovered).toEqual(words(1, 2, 1));
  });

  it('names the path when the serial port does not exist', async () => {
    const path = join(tempDir(), 'ttyUSB9');
    const link = new ModbusLink(rtuConnector(rtuEndpoint(path)), { timeoutMs: 300 });
    try {
      const result = await link.unit(1).readHoldingRegisters(0, 1);
      expect(result).toMatchObject({ ok: false, error: { code: 'disconnected' } });
      expect(!result.ok && result.error.message).toContain(`serial port ${path} does not exist`);
      expect(link.status().lastConnectError).toContain(path);
    } finally {
      await link.close();
    }
  });

  it('says so when the path is not a serial port', async () => {
    const path = join(tempDir(), 'not-a-tty');
    writeFileSync(path, 'plain file');
    const link = new ModbusLink(rtuConnector(rtuEndpoint(path)), { timeoutMs: 300 });
    try {
      const result = await link.unit(1).readHoldingRegisters(0, 1);
      expect(!result.ok && result.error).toMatchObject({
        code: 'disconnected',
        message: expect.stringContaining(`${path} is not a serial port`),
      });
    } finally {
      await link.close();
    }
  });
});
