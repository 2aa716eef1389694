// Faults a simulated RTU bus can show, beyond what a TCP server can: a reply can arrive with a
// broken CRC, from the wrong unit, cut short, or among noise on the line. Each fault turns one
// correct reply frame into what goes on the wire, as pieces with a delay before each.
import { withCrc } from '../modbus/crc16';

export type ModbusRtuFault =
  /** Swallow the request, like a unit that is off. */
  | { kind: 'no-reply' }
  /** Answer correctly, but only after `delayMs`. */
  | { kind: 'delay'; delayMs: number }
  /** Answer every request with this exception code. */
  | { kind: 'exception'; exceptionCode: number }
  /** Answer with the last CRC byte flipped. */
  | { kind: 'corrupt-crc' }
  /** Answer correctly framed, but as unit `replyUnitId` (default: the unit id + 1). */
  | { kind: 'wrong-unit'; replyUnitId?: number }
  /** Send only the first `keepBytes` of the reply (default: all but the last 3). */
  | { kind: 'truncated'; keepBytes?: number }
  /**
   * Noise on the line around a correct reply: `before` it, and `after` it, in the same burst
   * or once `afterDelayMs` has passed.
   */
  | {
      kind: 'garbage';
      before?: readonly number[];
      after?: readonly number[];
      afterDelayMs?: number;
    };

export interface WirePiece {
  bytes: Buffer;
  /** Wait before sending, counted from the previous piece (or from the request). */
  delayMs: number;
}

/** What goes on the wire for `reply` (a correct frame with CRC) under `fault`. */
export function faultyReply(reply: Buffer, fault: ModbusRtuFault | undefined): WirePiece[] {
  switch (fault?.kind) {
    case 'no-reply':
      return [];
    case 'delay':
      return [{ bytes: reply, delayMs: fault.delayMs }];
    case 'corrupt-crc': {
      const broken = Buffer.from(reply);
      broken[broken.length - 1]! ^= 0xff;
      return [{ bytes: broken, delayMs: 0 }];
    }
    case 'wrong-unit': {
      const body = Buffer.from(reply.subarray(0, -2));
      body[0] = fault.replyUnitId ?? (reply[0]! + 1) & 0xff;
      return [{ bytes: withCrc(body), delayMs: 0 }];
    }
    case 'truncated': {
      const keep = fault.keepBytes ?? Math.max(1, reply.length - 3);
      return [{ bytes: Buffer.from(reply.subarray(0, keep)), delayMs: 0 }];
    }
    case 'garbage': {
      const before = Buffer.from(fault.before ?? []);
      const after = Buffer.from(fault.after ?? []);
      // Without a delay the noise is one burst with the reply, as on a wire.
      if (!fault.afterDelayMs)
        return [{ bytes: Buffer.concat([before, reply, after]), delayMs: 0 }];
      const pieces: WirePiece[] = [{ bytes: Buffer.concat([before, reply]), delayMs: 0 }];
      if (after.length > 0) pieces.push({ bytes: after, delayMs: fault.afterDelayMs });
      return pieces;
    }
    default:
      return [{ bytes: reply, delayMs: 0 }];
  }
}
