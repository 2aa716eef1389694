// Health rules, first on the tracker alone, then as a link reports them for real traffic.
import { afterEach, describe, expect, it } from 'vitest';
import { fail, ok } from '../../../core/result';
import { exceptionError } from '../../../drivers/modbus/unit-client';
import { UnitHealthTracker } from '../../../drivers/modbus/unit-health';
import { closeSimLinks, simLink, sleep } from './support/sim-link';

afterEach(closeSimLinks);

const timeout = fail({ code: 'timeout' as const, message: 'no reply' });

describe('UnitHealthTracker', () => {
  it('is offline until the first reply, then ok', () => {
    const health = new UnitHealthTracker(3);
    expect(health.snapshot(true)).toMatchObject({
      state: 'offline',
      lastGoodMs: null,
      lastLatencyMs: null,
    });
    health.record(ok(undefined), 12, 1000);
    expect(health.snapshot(true)).toMatchObject({
      state: 'ok',
      lastGoodMs: 1000,
      lastLatencyMs: 12,
      smoothedLatencyMs: 12,
    });
  });

  it('degrades after one failure, goes offline after three in a row, recovers on a reply', () => {
    const health = new UnitHealthTracker(3);
    health.record(ok(undefined), 10, 1000);
    health.record(timeout, null, 2000);
    expect(health.snapshot(true)).toMatchObject({
      state: 'degraded',
      consecutiveErrors: 1,
      errorCount: 1,
      lastGoodMs: 1000,
    });
    health.record(fail(exceptionError(6)), 20, 3000);
    expect(health.snapshot(true)).toMatchObject({
      state: 'degraded',
      consecutiveErrors: 2,
      lastError: { code: 'busy' },
    });
    health.record(timeout, null, 4000);
    expect(health.snapshot(true)).toMatchObject({
      state: 'offline',
      consecutiveErrors: 3,
      errorCount: 3,
    });
    health.record(ok(undefined), 30, 5000);
    expect(health.snapshot(true)).toMatchObject({
      state: 'ok',
      consecutiveErrors: 0,
      errorCount: 3,
      lastGoodMs: 5000,
    });
  });

  it('treats exceptions 01–03 as the unit answering, and ignores closed', () => {
    const health = new UnitHealthTracker(3);
    health.record(timeout, null, 1000);
    for (const code of [1, 2, 3]) health.record(fail(exceptionError(code)), 5, 2000 + code);
    health.record(fail({ code: 'closed', message: 'closed' }), null, 3000);
    expect(health.snapshot(true)).toMatchObject({
      state: 'ok',
      errorCount: 1,
      consecutiveErrors: 0,
      lastGoodMs: 2003,
    });
  });

  it('is offline whenever the link is not usable, and smooths latency with weight 1/4', () => {
    const health = new UnitHealthTracker(3);
    health.record(ok(undefined), 100, 1000);
    health.record(ok(undefined), 20, 2000);
    expect(health.snapshot(true)).toMatchObject({
      state: 'ok',
      lastLatencyMs: 20,
      smoothedLatencyMs: 80,
    });
    expect(health.snapshot(false).state).toBe('offline');
  });
});

describe('ModbusLink health', () => {
  it('follows real traffic: latency, exceptions, timeouts and a lost link', async () => {
    const { link, server } = await simLink({
      timeoutMs: 100,
      backoff: { initialMs: 5000, maxMs: 5000, factor: 2 },
    });
    const unit = link.unit(1);
    expect(unit.health().state).toBe('offline');

    server.setFault(1, { kind: 'delay', delayMs: 40 });
    const beforeMs = Date.now();
    await unit.readHoldingRegisters(0, 1);
    expect(unit.health()).toMatchObject({ state: 'ok', errorCount: 0 });
    expect(unit.health().lastLatencyMs).toBeGreaterThanOrEqual(38);
    expect(unit.health().lastGoodMs).toBeGreaterThanOrEqual(beforeMs);

    server.setFault(1, { kind: 'no-reply' });
    await unit.readHoldingRegisters(0, 1);
    expect(unit.health()).toMatchObject({
      state: 'degraded',
      consecutiveErrors: 1,
      lastError: { code: 'timeout' },
    });
    await unit.readHoldingRegisters(0, 1);
    await unit.readHoldingRegisters(0, 1);
    expect(unit.health()).toMatchObject({ state: 'offline', consecutiveErrors: 3 });
    // Another unit on the same link is unaffected.
    await link.unit(2).readHoldingRegisters(0, 1);
    expect(link.unit(2).health().state).toBe('ok');

    server.setFault(1, null);
    await unit.readHoldingRegisters(0, 1);
    expect(unit.health()).toMatchObject({ state: 'ok', consecutiveErrors: 0, errorCount: 3 });

    await server.close();
    await sleep(30);
    expect(link.state).toBe('down');
    expect(link.unit(2).health().state).toBe('offline');
  });
});
