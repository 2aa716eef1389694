// One Modbus request as data, and how to put it on a modbus-serial client. The link owns
// timing and queueing; this file only knows function codes, argument limits and what a
// correct reply must look like. modbus-serial already checks the reply's unit id, function
// code and total length; we also check what it does not: the register count inside the
// reply and the echo of writes.
import type ModbusRTU from 'modbus-serial';
import { fail, ok } from '../../core/result';
import { mapClientError } from './client-errors';
import { MAX_READ_REGISTERS, MAX_WRITE_REGISTERS, type ModbusResult } from './unit-client';

export const MAX_READ_BITS = 2000;
export const MAX_WRITE_BITS = 1968;

export type ModbusRequest =
  | { fc: 1 | 2; address: number; count: number }
  | { fc: 3 | 4; address: number; count: number }
  | { fc: 5; address: number; value: boolean }
  | { fc: 6; address: number; value: number }
  | { fc: 15; address: number; values: readonly boolean[] }
  | { fc: 16; address: number; values: readonly number[] };

/** What a successful request yields: bits for FC1/2, words for FC3/4, nothing for writes. */
export type ModbusReply<R extends ModbusRequest> = R extends { fc: 1 | 2 }
  ? boolean[]
  : R extends { fc: 3 | 4 }
    ? Uint16Array
    : void;

/**
 * Arguments outside the protocol's limits are bugs in the caller (e.g. a block planner that
 * asked for 126 registers), so they throw instead of being sent.
 */
export function assertValidRequest(unitId: number, request: ModbusRequest): void {
  check(Number.isInteger(unitId) && unitId >= 0 && unitId <= 255, `unit id ${unitId} is not 0–255`);
  check(
    Number.isInteger(request.address) && request.address >= 0 && request.address <= 0xffff,
    `address ${request.address} is not 0–65535`,
  );
  const quantity =
    'count' in request ? request.count : 'values' in request ? request.values.length : 1;
  const max = {
    1: MAX_READ_BITS,
    2: MAX_READ_BITS,
    3: MAX_READ_REGISTERS,
    4: MAX_READ_REGISTERS,
    5: 1,
    6: 1,
    15: MAX_WRITE_BITS,
    16: MAX_WRITE_REGISTERS,
  }[request.fc];
  check(
    Number.isInteger(quantity) && quantity >= 1 && quantity <= max,
    `FC${request.fc} quantity ${quantity} is not 1–${max}`,
  );
  check(
    request.address + quantity <= 0x10000,
    `FC${request.fc} at ${request.address} + ${quantity} passes the end of the address space`,
  );
  if (request.fc === 6) checkWord(request.value);
  if (request.fc === 16) request.values.forEach(checkWord);
}

/**
 * Sends `request` and calls `done` once with the outcome. `done` may never be called if the
 * connection dies (modbus-serial leaves such callbacks pending): the link's own timer and
 * close handling settle the caller in that case.
 */
export function sendRequest(
  client: ModbusRTU,
  unitId: number,
  request: ModbusRequest,
  done: (result: ModbusResult<unknown>) => void,
): void {
  const address = request.address;
  const onError = (error: unknown): void => done(fail(mapClientError(error)));
  switch (request.fc) {
    case 1:
    case 2: {
      const send = request.fc === 1 ? client.writeFC1 : client.writeFC2;
      send.call(client, unitId, address, request.count, (error, reply) => {
        if (error) return onError(error);
        // Bits come back padded to whole bytes; anything shorter than asked for is malformed.
        if (reply.data.length < request.count)
          return done(badReply(`${reply.data.length} bits for ${request.count} asked`));
        done(ok(reply.data.slice(0, request.count)));
      });
      return;
    }
    case 3:
    case 4: {
      const send = request.fc === 3 ? client.writeFC3 : client.writeFC4;
      send.call(client, unitId, address, request.count, (error, reply) => {
        if (error) return onError(error);
        if (reply.data.length !== request.count)
          return done(badReply(`${reply.data.length} registers for ${request.count} asked`));
        done(ok(Uint16Array.from(reply.data)));
      });
      return;
    }
    case 5:
      client.writeFC5(unitId, address, request.value, (error, reply) => {
        if (error) return onError(error);
        done(
          reply.address === address && reply.state === request.value
            ? ok(undefined)
            : badReply('FC5 echo differs from request'),
        );
      });
      return;
    case 6:
      client.writeFC6(unitId, address, request.value, (error, reply) => {
        if (error) return onError(error);
        done(
          reply.address === address && reply.value === request.value
            ? ok(undefined)
            : badReply('FC6 echo differs from request'),
        );
      });
      return;
    case 15:
    case 16: {
      const quantity = request.values.length;
      const onReply = (
        error: NodeJS.ErrnoException | null,
        reply: { address: number; length: number },
      ): void => {
        if (error) return onError(error);
        done(
          reply.address === address && reply.length === quantity
            ? ok(undefined)
            : badReply(`FC${request.fc} echo differs from request`),
        );
      };
      if (request.fc === 15) client.writeFC15(unitId, address, [...request.values], onReply);
      else client.writeFC16(unitId, address, [...request.values], onReply);
      return;
    }
  }
}

function badReply(detail: string): ModbusResult<never> {
  return fail({ code: 'bad_reply', message: `malformed reply: ${detail}` });
}

function check(condition: boolean, message: string): void {
  if (!condition) throw new RangeError(message);
}

function checkWord(value: number): void {
  check(
    Number.isInteger(value) && value >= 0 && value <= 0xffff,
    `register value ${value} is not 0–65535`,
  );
}
