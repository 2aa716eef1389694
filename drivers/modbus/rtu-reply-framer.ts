// Finds the reply to one request in the bytes a master receives. RTU frames have no length
// field: the length follows from the request (a read of N registers answers 5 + 2N bytes, an
// exception always 5), and the CRC tells a frame from noise. Bytes before a valid frame
// (line noise, the tail of an older reply) are skipped. What never forms a valid frame is
// handed over as it is once the line goes quiet, so that the client reports it as malformed
// (CRC or length error) instead of waiting for its timeout.
import { hasValidCrc } from './crc16';

export interface ExpectedReply {
  unitId: number;
  functionCode: number;
  /** Bytes of a normal (non-exception) reply, CRC included; null if it cannot be known. */
  length: number | null;
}

const EXCEPTION_LENGTH = 5;
/** The largest RTU frame (256 bytes) with room for noise in front of it. */
const MAX_BUFFERED_BYTES = 512;

/** What the reply to this request frame (unit, function code, data, CRC) must look like. */
export function expectedReply(request: Uint8Array): ExpectedReply {
  const unitId = request[0] ?? 0;
  const functionCode = request[1] ?? 0;
  const quantity = request.length >= 6 ? (request[4]! << 8) | request[5]! : 0;
  let length: number | null = null;
  if (functionCode === 1 || functionCode === 2) length = 5 + Math.ceil(quantity / 8);
  else if (functionCode === 3 || functionCode === 4) length = 5 + 2 * quantity;
  else if ([5, 6, 15, 16].includes(functionCode)) length = 8;
  return { unitId, functionCode, length };
}

export class RtuReplyFramer {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly expected: ExpectedReply) {}

  get bufferedBytes(): number {
    return this.buffer.length;
  }

  /** Adds received bytes; returns the reply once a complete frame with a valid CRC is there. */
  push(chunk: Buffer): Buffer | null {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    if (this.buffer.length > MAX_BUFFERED_BYTES)
      this.buffer = this.buffer.subarray(this.buffer.length - MAX_BUFFERED_BYTES);
    return this.find();
  }

  /** Everything received so far, for the client to reject; null if nothing came. */
  takeIncomplete(): Buffer | null {
    const rest = this.buffer;
    this.buffer = Buffer.alloc(0);
    return rest.length > 0 ? Buffer.from(rest) : null;
  }

  private find(): Buffer | null {
    const { unitId, functionCode, length } = this.expected;
    for (let start = 0; start + EXCEPTION_LENGTH <= this.buffer.length; start++) {
      // Behind noise only a frame from the addressed unit counts; at the very start any unit
      // does, so that a reply from the wrong unit is reported as such rather than timed out.
      if (start > 0 && this.buffer[start] !== unitId) continue;
      const code = this.buffer[start + 1];
      const frameLength =
        code === (functionCode | 0x80) ? EXCEPTION_LENGTH : code === functionCode ? length : null;
      if (frameLength === null || start + frameLength > this.buffer.length) continue;
      const frame = this.buffer.subarray(start, start + frameLength);
      if (!hasValidCrc(frame)) continue;
      this.buffer = Buffer.alloc(0);
      return Buffer.from(frame);
    }
    return null;
  }
}
