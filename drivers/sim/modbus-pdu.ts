// Answers one request PDU for one unit, following the order of checks in the Modbus
// Application Protocol spec (v1.1b3, section 6): unsupported function → 01, bad quantity or
// malformed body → 03, address range → 02, then the unit itself (which may say 02 or 04).
import {
  DEVICE_FAILURE,
  ILLEGAL_ADDRESS,
  ILLEGAL_FUNCTION,
  ILLEGAL_VALUE,
  type HandlerResult,
  type ModbusUnitHandler,
} from './modbus-unit-handler';

export const MAX_READ_REGISTERS = 125;
export const MAX_WRITE_REGISTERS = 123;
export const MAX_READ_BITS = 2000;
export const MAX_WRITE_BITS = 1968;

export function exceptionPdu(functionCode: number, exceptionCode: number): Buffer {
  return Buffer.from([(functionCode | 0x80) & 0xff, exceptionCode]);
}

export function answerPdu(handler: ModbusUnitHandler, pdu: Buffer): Buffer {
  const functionCode = pdu.readUInt8(0);
  try {
    return dispatch(handler, functionCode, pdu.subarray(1));
  } catch {
    // A simulator bug must look like a failing device, not take the server down.
    return exceptionPdu(functionCode, DEVICE_FAILURE);
  }
}

function dispatch(handler: ModbusUnitHandler, fc: number, body: Buffer): Buffer {
  const exception = (code: number): Buffer => exceptionPdu(fc, code);
  switch (fc) {
    case 1:
    case 2: {
      const read = fc === 1 ? handler.readCoils : handler.readDiscreteInputs;
      if (!read) return exception(ILLEGAL_FUNCTION);
      const req = body.length === 4 ? addressAndQuantity(body, MAX_READ_BITS) : ILLEGAL_VALUE;
      if (typeof req === 'number') return exception(req);
      return replyWith(fc, read.call(handler, req.address, req.quantity), (bits) =>
        packBits(bits, req.quantity),
      );
    }
    case 3:
    case 4: {
      const read = fc === 3 ? handler.readHoldingRegisters : handler.readInputRegisters;
      if (!read) return exception(ILLEGAL_FUNCTION);
      const req = body.length === 4 ? addressAndQuantity(body, MAX_READ_REGISTERS) : ILLEGAL_VALUE;
      if (typeof req === 'number') return exception(req);
      return replyWith(fc, read.call(handler, req.address, req.quantity), (words) =>
        packWords(words, req.quantity),
      );
    }
    case 5: {
      if (!handler.writeCoils) return exception(ILLEGAL_FUNCTION);
      if (body.length !== 4) return exception(ILLEGAL_VALUE);
      const value = body.readUInt16BE(2);
      if (value !== 0xff00 && value !== 0x0000) return exception(ILLEGAL_VALUE);
      return replyWith(
        fc,
        handler.writeCoils(body.readUInt16BE(0), [value === 0xff00]),
        () => body,
      );
    }
    case 6: {
      if (!handler.writeRegisters) return exception(ILLEGAL_FUNCTION);
      if (body.length !== 4) return exception(ILLEGAL_VALUE);
      return replyWith(
        fc,
        handler.writeRegisters(body.readUInt16BE(0), [body.readUInt16BE(2)]),
        () => body,
      );
    }
    case 15: {
      if (!handler.writeCoils) return exception(ILLEGAL_FUNCTION);
      const req = multipleWrite(body, MAX_WRITE_BITS, (quantity) => Math.ceil(quantity / 8));
      if (typeof req === 'number') return exception(req);
      const result = handler.writeCoils(req.address, unpackBits(req.data, req.quantity));
      return replyWith(fc, result, () => body.subarray(0, 4));
    }
    case 16: {
      if (!handler.writeRegisters) return exception(ILLEGAL_FUNCTION);
      const req = multipleWrite(body, MAX_WRITE_REGISTERS, (quantity) => quantity * 2);
      if (typeof req === 'number') return exception(req);
      return replyWith(fc, handler.writeRegisters(req.address, unpackWords(req.data)), () =>
        body.subarray(0, 4),
      );
    }
    default:
      return exception(ILLEGAL_FUNCTION);
  }
}

/** Returns the request, or the exception code to answer with. */
function addressAndQuantity(
  body: Buffer,
  maxQuantity: number,
): { address: number; quantity: number } | number {
  if (body.length < 4) return ILLEGAL_VALUE;
  const address = body.readUInt16BE(0);
  const quantity = body.readUInt16BE(2);
  if (quantity < 1 || quantity > maxQuantity) return ILLEGAL_VALUE;
  if (address + quantity > 0x10000) return ILLEGAL_ADDRESS;
  return { address, quantity };
}

/** FC15/FC16 body: address, quantity, byte count, data; the three must agree. */
function multipleWrite(
  body: Buffer,
  maxQuantity: number,
  bytesFor: (quantity: number) => number,
): { address: number; quantity: number; data: Buffer } | number {
  if (body.length < 5) return ILLEGAL_VALUE;
  const req = addressAndQuantity(body, maxQuantity);
  if (typeof req === 'number') return req;
  const byteCount = bytesFor(req.quantity);
  if (body.readUInt8(4) !== byteCount || body.length !== 5 + byteCount) return ILLEGAL_VALUE;
  return { ...req, data: body.subarray(5) };
}

function replyWith<T>(
  fc: number,
  result: HandlerResult<T>,
  encode: (value: T) => Buffer | null,
): Buffer {
  if (!result.ok) return exceptionPdu(fc, result.error.exceptionCode);
  const data = encode(result.value);
  // A handler that returns the wrong amount of data is a simulator bug: report device failure.
  if (data === null) return exceptionPdu(fc, DEVICE_FAILURE);
  return Buffer.concat([Buffer.from([fc]), data]);
}

function packWords(words: ArrayLike<number>, quantity: number): Buffer | null {
  if (words.length !== quantity) return null;
  const out = Buffer.alloc(1 + quantity * 2);
  out.writeUInt8(quantity * 2, 0);
  for (let i = 0; i < quantity; i++) out.writeUInt16BE((words[i] ?? 0) & 0xffff, 1 + i * 2);
  return out;
}

function packBits(bits: readonly boolean[], quantity: number): Buffer | null {
  if (bits.length !== quantity) return null;
  const byteCount = Math.ceil(quantity / 8);
  const out = Buffer.alloc(1 + byteCount);
  out.writeUInt8(byteCount, 0);
  bits.forEach((bit, i) => {
    if (bit) out[1 + (i >> 3)]! |= 1 << (i & 7);
  });
  return out;
}

function unpackBits(data: Buffer, quantity: number): boolean[] {
  return Array.from({ length: quantity }, (_, i) => ((data[i >> 3] ?? 0) & (1 << (i & 7))) !== 0);
}

function unpackWords(data: Buffer): number[] {
  return Array.from({ length: data.length / 2 }, (_, i) => data.readUInt16BE(i * 2));
}
