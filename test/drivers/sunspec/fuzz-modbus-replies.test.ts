// Fuzz: the ModbusLink that every SunSpec read goes through, against a raw TCP "device" that
// answers each request in a randomly chosen broken way: random bytes, a wrong MBAP length,
// wrong function code, unit id or transaction id, a partial frame, a byte count that lies,
// odd exception codes, replies in pieces or twice, or a dropped connection. Every request
// must settle within its timeout (plus a reconnect), with the registers it asked for or a
// typed error, and nothing may throw out of a socket handler.
import { createServer, type Server, type Socket } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ModbusLink } from '../../../drivers/modbus/modbus-link';
import { tcpConnector } from '../../../drivers/modbus/tcp-connector';
import type { ModbusErrorCode, ModbusResult } from '../../../drivers/modbus/unit-client';
import { encodeMbap, MbapDecoder, type MbapFrame } from '../../../drivers/sim/modbus-mbap';

const TIMEOUT_MS = 25;
const CONNECT_TIMEOUT_MS = 150;
const UNIT = 1;

type Reply =
  | { kind: 'valid' | 'silence' | 'close' | 'double' | 'extra-bytes' }
  | { kind: 'random'; bytes: number[] }
  | { kind: 'length-field'; delta: number }
  | { kind: 'function-code'; fc: number }
  | { kind: 'unit'; unitId: number }
  | { kind: 'transaction'; delta: number }
  | { kind: 'partial'; keep: number }
  | { kind: 'byte-count'; delta: number }
  | { kind: 'exception'; code: number }
  | { kind: 'split'; at: number; delayMs: number };

const replyArb: fc.Arbitrary<Reply> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<Reply>({ kind: 'valid' }) },
  fc.constantFrom<Reply>(
    { kind: 'silence' },
    { kind: 'close' },
    { kind: 'double' },
    { kind: 'extra-bytes' },
  ),
  fc
    .array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 })
    .map((bytes): Reply => ({ kind: 'random', bytes })),
  fc.integer({ min: -8, max: 300 }).map((delta): Reply => ({ kind: 'length-field', delta })),
  fc
    .constantFrom(1, 4, 16, 0x83, 0x90, 0, 255)
    .map((f): Reply => ({ kind: 'function-code', fc: f })),
  fc.constantFrom(0, 2, 255).map((unitId): Reply => ({ kind: 'unit', unitId })),
  fc.constantFrom(-1, 1, 256, 0x8000).map((delta): Reply => ({ kind: 'transaction', delta })),
  fc.integer({ min: 0, max: 12 }).map((keep): Reply => ({ kind: 'partial', keep })),
  fc.integer({ min: -4, max: 4 }).map((delta): Reply => ({ kind: 'byte-count', delta })),
  fc
    .constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 0x7f, 0xff)
    .map((code): Reply => ({ kind: 'exception', code })),
  fc
    .record({ at: fc.integer({ min: 1, max: 9 }), delayMs: fc.integer({ min: 0, max: 10 }) })
    .map(({ at, delayMs }): Reply => ({ kind: 'split', at, delayMs })),
);

const requestArb = fc.record({
  address: fc.integer({ min: 0, max: 0xffff - 125 }),
  count: fc.integer({ min: 1, max: 125 }),
  /** Issued at once, without waiting for the requests before it. */
  concurrent: fc.boolean(),
});

/** Register n holds n (mod 2^16), so a reply for another request is easy to spot. */
const expected = (address: number, count: number) =>
  Array.from({ length: count }, (_, i) => (address + i) & 0xffff);

function validPdu(frame: MbapFrame): Buffer {
  const address = frame.pdu.readUInt16BE(1);
  const count = frame.pdu.readUInt16BE(3);
  const pdu = Buffer.alloc(2 + 2 * count);
  pdu[0] = 3;
  pdu[1] = 2 * count;
  expected(address, count).forEach((w, i) => pdu.writeUInt16BE(w, 2 + 2 * i));
  return pdu;
}

function answer(socket: Socket, frame: MbapFrame, reply: Reply, timers: Set<NodeJS.Timeout>) {
  const good = encodeMbap(frame.transactionId, frame.unitId, validPdu(frame));
  const send = (bytes: Buffer | number[]) => void socket.write(Buffer.from(bytes));
  switch (reply.kind) {
    case 'valid':
      return send(good);
    case 'silence':
      return;
    case 'close':
      return void socket.destroy();
    case 'double':
      return send(Buffer.concat([good, good]));
    case 'extra-bytes':
      return send(Buffer.concat([good, Buffer.from([0, 0, 0, 0, 0, 3, 1])]));
    case 'random':
      return send(reply.bytes);
    case 'length-field': {
      const out = Buffer.from(good);
      out.writeUInt16BE(Math.max(0, Math.min(0xffff, good.readUInt16BE(4) + reply.delta)), 4);
      return send(out);
    }
    case 'function-code': {
      const out = Buffer.from(good);
      out[7] = reply.fc;
      return send(out);
    }
    case 'unit':
      return send(encodeMbap(frame.transactionId, reply.unitId, validPdu(frame)));
    case 'transaction':
      return send(encodeMbap(frame.transactionId + reply.delta, frame.unitId, validPdu(frame)));
    case 'partial':
      return send(good.subarray(0, reply.keep));
    case 'byte-count': {
      const out = Buffer.from(good);
      out[8] = (out[8]! + reply.delta) & 0xff;
      return send(out);
    }
    case 'exception':
      return send(encodeMbap(frame.transactionId, frame.unitId, Buffer.from([0x83, reply.code])));
    case 'split': {
      send(good.subarray(0, reply.at));
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!socket.destroyed) send(good.subarray(reply.at));
      }, reply.delayMs);
      timers.add(timer);
    }
  }
}

/** Answers the n-th request it receives (on any connection) with replies[n], cycling. */
async function brokenDevice(replies: readonly Reply[]) {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let n = 0;
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    const decoder = new MbapDecoder();
    socket.on('data', (chunk: Buffer) => {
      const { frames, error } = decoder.push(chunk);
      for (const frame of frames) answer(socket, frame, replies[n++ % replies.length]!, timers);
      if (error) socket.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const close = () =>
    new Promise<void>((resolve) => {
      timers.forEach(clearTimeout);
      sockets.forEach((s) => s.destroy());
      server.close(() => resolve());
    });
  return { port, close };
}

const KNOWN_CODES = new Set<ModbusErrorCode>([
  'timeout',
  'illegal_function',
  'illegal_address',
  'illegal_value',
  'device_failure',
  'busy',
  'gateway_path',
  'gateway_target',
  'exception',
  'disconnected',
  'closed',
  'bad_reply',
]);

const sleep = (ms: number) =>
  new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), ms));

describe('ModbusLink against malformed Modbus TCP replies', () => {
  it('settles every request in time with the right registers or a typed error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(replyArb, { minLength: 1, maxLength: 8 }),
        fc.array(requestArb, { minLength: 1, maxLength: 8 }),
        async (replies, requests) => {
          const device = await brokenDevice(replies);
          const link = new ModbusLink(tcpConnector('127.0.0.1', device.port), {
            timeoutMs: TIMEOUT_MS,
            connectTimeoutMs: CONNECT_TIMEOUT_MS,
            backoff: { initialMs: 5, maxMs: 20, factor: 2 },
          });
          try {
            const unit = link.unit(UNIT);
            // A request waits at most for those queued before it, each a timeout plus a
            // reconnect, and the split replies' delays.
            const boundMs = (requests.length + 1) * (TIMEOUT_MS + CONNECT_TIMEOUT_MS) + 200;
            const outcomes: Promise<ModbusResult<Uint16Array> | 'late'>[] = [];
            for (const r of requests) {
              const call = unit.readHoldingRegisters(r.address, r.count);
              outcomes.push(Promise.race([call, sleep(boundMs)]));
              if (!r.concurrent) await outcomes.at(-1);
            }
            const results = await Promise.all(outcomes);
            results.forEach((result, i) => {
              const r = requests[i]!;
              expect(result, `request ${i} still pending after ${boundMs} ms`).not.toBe('late');
              if (result === 'late') return;
              if (result.ok) expect([...result.value]).toEqual(expected(r.address, r.count));
              else expect(KNOWN_CODES).toContain(result.error.code);
            });
          } finally {
            await Promise.all([link.close(), device.close()]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
