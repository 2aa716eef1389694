// Finds request frames in the bytes a Modbus RTU slave receives. The length of a request
// follows from its function code (reads and single writes are 8 bytes; FC15/FC16 carry a
// byte count), and its CRC tells a frame from noise: a candidate whose CRC fails loses its
// first byte and the search goes on, so a frame behind garbage is still found. Frames of other
// function codes end only with silence on the line (`silence()`); what is left then and does
// not pass its CRC is noise, dropped as the spec tells a slave to do.
import { hasValidCrc } from '../modbus/crc16';

/** Unit id, function code, at most 252 bytes of data, CRC. */
const MAX_FRAME_BYTES = 256;

export class RtuRequestDecoder {
  private buffer: Buffer = Buffer.alloc(0);
  private dropped = 0;

  /** True while part of a frame (or noise) is waiting for more bytes or for silence. */
  get pending(): boolean {
    return this.buffer.length > 0;
  }

  /** Bytes thrown away as noise since the last call. */
  takeDroppedBytes(): number {
    const dropped = this.dropped;
    this.dropped = 0;
    return dropped;
  }

  /** Adds received bytes; returns every complete request frame with a valid CRC. */
  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames = this.extract(false);
    if (this.buffer.length > MAX_FRAME_BYTES) this.drop(this.buffer.length - MAX_FRAME_BYTES);
    return frames;
  }

  /** The line went quiet for t3.5: every frame so far is complete; the rest is noise. */
  silence(): Buffer[] {
    return this.extract(true);
  }

  private extract(lineQuiet: boolean): Buffer[] {
    const frames: Buffer[] = [];
    while (this.buffer.length > 0) {
      const length = requestLength(this.buffer, 0);
      if (length !== null && this.buffer.length >= length) {
        const candidate = this.buffer.subarray(0, length);
        if (hasValidCrc(candidate)) {
          frames.push(Buffer.from(candidate));
          this.buffer = this.buffer.subarray(length);
        } else this.drop(1);
        continue;
      }
      const later = this.laterFrameStart();
      if (later !== null) {
        this.drop(later);
        continue;
      }
      if (!lineQuiet) break;
      // A function code whose length we cannot know: the whole rest is the frame, or noise.
      if (length === null && this.buffer.length >= 4 && hasValidCrc(this.buffer)) {
        frames.push(Buffer.from(this.buffer));
        this.buffer = Buffer.alloc(0);
      } else this.drop(1);
    }
    return frames;
  }

  /** Offset of a complete, CRC-valid frame of known length behind the start, if any. */
  private laterFrameStart(): number | null {
    for (let start = 1; start + 4 <= this.buffer.length; start++) {
      const length = requestLength(this.buffer, start);
      if (length === null || start + length > this.buffer.length) continue;
      if (hasValidCrc(this.buffer.subarray(start, start + length))) return start;
    }
    return null;
  }

  private drop(count: number): void {
    this.buffer = this.buffer.subarray(count);
    this.dropped += count;
  }
}

/** Bytes of the request starting at `start`, or null while that cannot be known. */
function requestLength(buffer: Buffer, start: number): number | null {
  if (buffer.length < start + 2) return null;
  const functionCode = buffer[start + 1]!;
  if (functionCode >= 1 && functionCode <= 6) return 8;
  if (functionCode === 15 || functionCode === 16)
    return buffer.length >= start + 7 ? 9 + buffer[start + 6]! : null;
  return null;
}
