// The link when things go wrong: silent units, late and mislabelled replies, servers that
// vanish and come back, and closing with work pending.
import { afterEach, describe, expect, it } from 'vitest';
import { ok } from '../../../core/result';
import { ModbusLink } from '../../../drivers/modbus/modbus-link';
import { tcpConnector } from '../../../drivers/modbus/tcp-connector';
import { RegisterBankUnit } from '../../../drivers/sim/modbus-register-bank';
import { ModbusTcpServer } from '../../../drivers/sim/modbus-tcp-server';
import { closeSimLinks, expectedWords, simLink, sleep } from './support/sim-link';

afterEach(closeSimLinks);

const codeOf = (result: { ok: boolean; error?: { code: string } }): string =>
  result.ok ? 'ok' : result.error!.code;

describe('ModbusLink timeouts', () => {
  it('a silent unit costs a healthy unit on the same link at most about one timeout', async () => {
    const timeoutMs = 200;
    const { link, server } = await simLink({ timeoutMs });
    server.setFault(2, { kind: 'no-reply' });
    const dead = link.unit(2);
    const healthy = link.unit(1);
    // The dead unit's pollers pile up six requests, then a healthy poller runs in a loop.
    const deadCalls = Array.from({ length: 6 }, () => dead.readHoldingRegisters(0, 1));
    const healthyLatenciesMs: number[] = [];
    const stopAtMs = performance.now() + 800;
    while (performance.now() < stopAtMs) {
      const startedMs = performance.now();
      const result = await healthy.readHoldingRegisters(5, 2);
      healthyLatenciesMs.push(performance.now() - startedMs);
      expect(result).toEqual(ok(Uint16Array.from(expectedWords(1, 5, 2))));
    }
    expect(Math.max(...healthyLatenciesMs)).toBeLessThan(timeoutMs + 100);
    expect(healthyLatenciesMs.length).toBeGreaterThanOrEqual(3);
    const deadResults = await Promise.all(deadCalls);
    expect(deadResults.map(codeOf)).toEqual(new Array(6).fill('timeout'));
  });

  it('never hands a late reply to a later request', async () => {
    const { link, server } = await simLink({ timeoutMs: 100 });
    const unit = link.unit(1);
    server.setFault(1, { kind: 'delay', delayMs: 150 });
    expect(codeOf(await unit.readHoldingRegisters(0, 2))).toBe('timeout');
    // The next reply takes 80 ms: the late one (for registers 0–1) would land before it.
    server.setFault(1, { kind: 'delay', delayMs: 80 });
    expect(await unit.readHoldingRegisters(10, 2)).toEqual(
      ok(Uint16Array.from(expectedWords(1, 10, 2))),
    );
    await sleep(100);
    expect(await unit.readHoldingRegisters(20, 2)).toEqual(
      ok(Uint16Array.from(expectedWords(1, 20, 2))),
    );
  });

  it('never hands a reply with a wrong transaction id to the request that id belongs to', async () => {
    // Same scenario that fools a bare modbus-serial client (see modbus-tcp-server-faults.test.ts).
    const { link, server } = await simLink({ timeoutMs: 100 });
    const unit = link.unit(1);
    server.setFault(1, { kind: 'wrong-transaction-id', delayMs: 150 });
    expect(codeOf(await unit.readHoldingRegisters(0, 2))).toBe('timeout');
    server.setFault(1, { kind: 'delay', delayMs: 80 });
    expect(await unit.readHoldingRegisters(10, 2)).toEqual(
      ok(Uint16Array.from(expectedWords(1, 10, 2))),
    );
    // The timeout cost the connection: the stale reply had nowhere to go.
    expect(server.connectionStats().map((c) => c.open)).toEqual([false, true]);
  });
});

describe('ModbusLink disconnects and close', () => {
  it('settles a pending request with disconnected when the server goes away mid-request', async () => {
    const { link, server } = await simLink({ timeoutMs: 5000 });
    server.setFault(1, { kind: 'delay', delayMs: 4000 });
    const pending = link.unit(1).readHoldingRegisters(0, 1);
    await sleep(50);
    const closedAtMs = performance.now();
    await server.close();
    const result = await pending;
    expect(codeOf(result)).toBe('disconnected');
    expect(performance.now() - closedAtMs).toBeLessThan(500);
  });

  it('settles a request whose unit drops the connection, then carries on with a new one', async () => {
    const { link, server } = await simLink();
    expect((await link.unit(1).readHoldingRegisters(0, 1)).ok).toBe(true);
    server.setFault(2, { kind: 'drop-connection' });
    const [dropped, next] = await Promise.all([
      link.unit(2).readHoldingRegisters(0, 1),
      link.unit(1).readHoldingRegisters(0, 1),
    ]);
    expect(codeOf(dropped)).toBe('disconnected');
    expect(next).toEqual(ok(Uint16Array.from([1000])));
    expect(server.connectionStats()).toHaveLength(2);
  });

  it('close() settles the request in flight and every queued one with closed', async () => {
    const { link, server } = await simLink({ timeoutMs: 10_000 });
    server.setFault(1, { kind: 'no-reply' });
    const calls = [
      ...Array.from({ length: 8 }, () => link.unit(1).readHoldingRegisters(0, 1)),
      link.unit(2).writeRegisters(0, [1]),
    ];
    await sleep(50);
    const closedAtMs = performance.now();
    await link.close();
    const results = await Promise.all(calls);
    expect(performance.now() - closedAtMs).toBeLessThan(200);
    expect(results.map(codeOf)).toEqual(new Array(9).fill('closed'));
    expect(codeOf(await link.unit(1).readHoldingRegisters(0, 1))).toBe('closed');
    await link.close(); // idempotent
    expect(server.connectionStats()[0]!.open).toBe(false);
  });

  it('fails fast while down, retries with backoff, and recovers when the server is back', async () => {
    const backoff = { initialMs: 50, maxMs: 400, factor: 2 };
    const { link, server, port } = await simLink({ timeoutMs: 200, backoff });
    expect((await link.unit(1).readHoldingRegisters(0, 1)).ok).toBe(true);
    await server.close();
    await sleep(20);
    expect(link.state).toBe('down');

    const startedMs = performance.now();
    const whileDown = await link.unit(1).readHoldingRegisters(0, 1);
    expect(codeOf(whileDown)).toBe('disconnected');
    expect(performance.now() - startedMs).toBeLessThan(20);

    await sleep(1000);
    // Attempts at about 0, 50, 150, 350, 750 ms: backing off, not hammering.
    const status = link.status();
    expect(status.connectAttempts).toBeGreaterThanOrEqual(1 + 3);
    expect(status.connectAttempts).toBeLessThanOrEqual(1 + 6);
    expect(status.consecutiveConnectFailures).toBe(status.connectAttempts - 1);
    expect(status.nextAttemptMs! - Date.now()).toBeLessThanOrEqual(backoff.maxMs);

    const again = new ModbusTcpServer().setUnit(1, new RegisterBankUnit({ holding: [77] }));
    await again.listen({ port });
    try {
      const restartedMs = performance.now();
      let result = await link.unit(1).readHoldingRegisters(0, 1);
      while (!result.ok && performance.now() - restartedMs < 2000) {
        await sleep(20);
        result = await link.unit(1).readHoldingRegisters(0, 1);
      }
      expect(result).toEqual(ok(Uint16Array.from([77])));
      expect(performance.now() - restartedMs).toBeLessThan(backoff.maxMs + 200);
      expect(link.status()).toMatchObject({
        state: 'up',
        consecutiveConnectFailures: 0,
        nextAttemptMs: null,
      });
    } finally {
      await again.close();
    }
  });

  it('fails the first requests fast when nothing listens, and reports why', async () => {
    const probe = new ModbusTcpServer();
    const port = await probe.listen();
    await probe.close();
    const link = new ModbusLink(tcpConnector('127.0.0.1', port), {
      backoff: { initialMs: 10_000, maxMs: 10_000, factor: 2 },
    });
    try {
      const results = await Promise.all([
        link.unit(1).readHoldingRegisters(0, 1),
        link.unit(2).readHoldingRegisters(0, 1),
      ]);
      expect(results.map(codeOf)).toEqual(['disconnected', 'disconnected']);
      expect(link.status()).toMatchObject({
        state: 'down',
        lastConnectError: expect.stringMatching(/ECONNREFUSED/),
      });
    } finally {
      await link.close();
    }
  });
});
