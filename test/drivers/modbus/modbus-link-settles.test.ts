// Property: whatever the units do (silence, slowness, exceptions, dropped connections,
// mislabelled or short replies) and whenever the server or the link goes away, every
// request settles in bounded time, never two are on the wire at once, and a successful
// read always carries the registers it asked for.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { ModbusFault } from '../../../drivers/sim/modbus-tcp-server';
import type { ModbusErrorCode, ModbusResult } from '../../../drivers/modbus/unit-client';
import { closeSimLinks, expectedWords, simLink, sleep } from './support/sim-link';

afterEach(closeSimLinks);

const TIMEOUT_MS = 30;
const CONNECT_TIMEOUT_MS = 200;

const faultArb: fc.Arbitrary<ModbusFault | null> = fc.oneof(
  fc.constant(null),
  fc.constant<ModbusFault>({ kind: 'no-reply' }),
  fc
    .integer({ min: 0, max: 2 * TIMEOUT_MS })
    .map<ModbusFault>((delayMs) => ({ kind: 'delay', delayMs })),
  fc
    .constantFrom(1, 2, 3, 4, 6, 11)
    .map<ModbusFault>((exceptionCode) => ({ kind: 'exception', exceptionCode })),
  fc.constant<ModbusFault>({ kind: 'drop-connection' }),
  fc
    .integer({ min: 0, max: 2 * TIMEOUT_MS })
    .map<ModbusFault>((delayMs) => ({ kind: 'wrong-transaction-id', delayMs })),
  fc.constant<ModbusFault>({ kind: 'short-reply' }),
);

const requestArb = fc.record({
  unitId: fc.integer({ min: 1, max: 4 }), // unit 4 does not exist: the gateway stays silent
  startMs: fc.integer({ min: 0, max: 60 }),
  kind: fc.constantFrom('read', 'write'),
  address: fc.integer({ min: 0, max: 90 }),
  count: fc.integer({ min: 1, max: 10 }),
});

const scenarioArb = fc.record({
  faults: fc.array(faultArb, { minLength: 3, maxLength: 3 }),
  /** Faults switch part-way through, as devices change their mind. */
  laterFaults: fc.option(
    fc.tuple(fc.integer({ min: 0, max: 80 }), fc.array(faultArb, { minLength: 3, maxLength: 3 })),
  ),
  requests: fc.array(requestArb, { minLength: 1, maxLength: 10 }),
  serverCloseAtMs: fc.option(fc.integer({ min: 0, max: 120 })),
  linkCloseAtMs: fc.option(fc.integer({ min: 0, max: 200 })),
});

const KNOWN_CODES = new Set<ModbusErrorCode>([
  'timeout',
  'illegal_function',
  'illegal_address',
  'illegal_value',
  'device_failure',
  'busy',
  'gateway_target',
  'disconnected',
  'closed',
  'bad_reply',
]);

describe('ModbusLink under random faults', () => {
  it('settles every request, one at a time, and never returns another request’s data', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { link, server } = await simLink({
          timeoutMs: TIMEOUT_MS,
          connectTimeoutMs: CONNECT_TIMEOUT_MS,
          backoff: { initialMs: 20, maxMs: 80, factor: 2 },
        });
        const applyFaults = (faults: (ModbusFault | null)[]): void =>
          faults.forEach((fault, i) => server.setFault(i + 1, fault));
        applyFaults(scenario.faults);
        const timers: NodeJS.Timeout[] = [];
        if (scenario.laterFaults)
          timers.push(
            setTimeout(() => applyFaults(scenario.laterFaults![1]), scenario.laterFaults[0]),
          );
        if (scenario.serverCloseAtMs !== null)
          timers.push(setTimeout(() => void server.close(), scenario.serverCloseAtMs));
        if (scenario.linkCloseAtMs !== null)
          timers.push(setTimeout(() => void link.close(), scenario.linkCloseAtMs));

        const calls = scenario.requests.map(async (r) => {
          await sleep(r.startMs);
          const unit = link.unit(r.unitId);
          // Writes go to registers 150+, so reads of 0–99 always know what to expect.
          const result: ModbusResult<unknown> =
            r.kind === 'read'
              ? await unit.readHoldingRegisters(r.address, r.count)
              : await unit.writeRegisters(
                  150 + (r.address % 40),
                  new Array(r.count).fill(r.address),
                );
          return { r, result };
        });
        // Each request waits for at most every other one ahead of it plus a reconnect.
        const boundMs =
          60 +
          100 +
          scenario.requests.length * (TIMEOUT_MS + 2 * TIMEOUT_MS + 20) +
          2 * CONNECT_TIMEOUT_MS;
        const deadline = sleep(boundMs).then(() => 'deadline' as const);
        const outcome = await Promise.race([Promise.all(calls), deadline]);
        timers.forEach(clearTimeout);
        expect(outcome, `requests still pending after ${boundMs} ms`).not.toBe('deadline');
        if (outcome === 'deadline') return;
        for (const { r, result } of outcome) {
          if (result.ok && r.kind === 'read')
            expect([...(result.value as Uint16Array)]).toEqual(
              expectedWords(r.unitId, r.address, r.count),
            );
          if (!result.ok) expect(KNOWN_CODES).toContain(result.error.code);
        }
        expect(server.maxOutstanding).toBeLessThanOrEqual(1);
        await Promise.all([link.close(), server.close()]);
      }),
      { numRuns: 25 },
    );
  }, 60_000);
});
