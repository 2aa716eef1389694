// Modbus TCP framing (MBAP header): transaction id (2), protocol id (2, always 0), length
// (2, counts the unit id and the PDU), unit id (1), then the PDU. TCP is a byte stream, so a
// frame can arrive in pieces and one chunk can hold several frames; the decoder keeps the
// remainder between chunks. A bad header means we can no longer find frame boundaries, so
// the only safe answer is to drop the connection (what most devices do).
export const MBAP_HEADER_BYTES = 7;
/** Largest PDU the spec allows (253) plus the unit id byte. */
export const MAX_MBAP_LENGTH = 254;
/** Unit id plus at least a function code. */
export const MIN_MBAP_LENGTH = 2;

export interface MbapFrame {
  transactionId: number;
  unitId: number;
  /** Function code followed by its data. */
  pdu: Buffer;
}

export interface DecodeOutcome {
  frames: MbapFrame[];
  /** Set when the stream is unusable from here on. */
  error?: string;
}

export class MbapDecoder {
  private pending: Buffer = Buffer.alloc(0);

  /** Feed one chunk; returns every complete frame, or an error after the frames before it. */
  push(chunk: Buffer): DecodeOutcome {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: MbapFrame[] = [];
    while (this.pending.length >= 6) {
      const protocolId = this.pending.readUInt16BE(2);
      const length = this.pending.readUInt16BE(4);
      if (protocolId !== 0) return { frames, error: `protocol id ${protocolId} (expected 0)` };
      if (length < MIN_MBAP_LENGTH || length > MAX_MBAP_LENGTH) {
        return {
          frames,
          error: `MBAP length ${length} outside ${MIN_MBAP_LENGTH}–${MAX_MBAP_LENGTH}`,
        };
      }
      const total = 6 + length;
      if (this.pending.length < total) break;
      frames.push({
        transactionId: this.pending.readUInt16BE(0),
        unitId: this.pending.readUInt8(6),
        pdu: Buffer.from(this.pending.subarray(MBAP_HEADER_BYTES, total)),
      });
      this.pending = this.pending.subarray(total);
    }
    return { frames };
  }
}

export function encodeMbap(transactionId: number, unitId: number, pdu: Buffer): Buffer {
  const frame = Buffer.alloc(MBAP_HEADER_BYTES + pdu.length);
  frame.writeUInt16BE(transactionId & 0xffff, 0);
  frame.writeUInt16BE(0, 2);
  frame.writeUInt16BE(pdu.length + 1, 4);
  frame.writeUInt8(unitId, 6);
  pdu.copy(frame, MBAP_HEADER_BYTES);
  return frame;
}
