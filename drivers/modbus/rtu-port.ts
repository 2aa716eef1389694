// The "port" a modbus-serial client writes RTU frames to and reads replies from, over any byte
// stream we opened ourselves (a serial port, or a TCP socket to an RS-485 gateway). We do not
// use modbus-serial's own RTU ports: the plain one hands the client every chunk as if it were
// a frame (the "Data length error" reports in its tracker), and neither knows about silences
// or late replies. This port:
// - delivers exactly one frame per request, found by its expected length and CRC, skipping
//   noise in front of it; a reply that stops short, or never passes its CRC, is handed over
//   once the line has been quiet for byteTimeoutMs, so the client reports it as malformed;
// - transmits only after the line has been quiet for t3.5, counted from the last byte
//   received and from the estimated end of our own previous frame;
// - drains after trouble: RTU has no transaction id, so a reply that arrives after its
//   request timed out would be taken for the next reply. After any request without a clean
//   reply (timeout, CRC error, wrong unit, truncated) the next request waits until the line
//   has been quiet for drainMs, and bytes that arrive between requests are discarded. A reply
//   later than timeout + drainMs cannot be told apart on RTU; the timeout must cover the
//   slowest device on the bus. We drain rather than re-open: re-opening a serial port costs
//   more (and toggles modem lines), and late bytes would arrive on the new handle anyway.
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { expectedReply, RtuReplyFramer, type ExpectedReply } from './rtu-reply-framer';
import type { RtuTiming } from './rtu-timing';

export interface RtuPortStats {
  framesSent: number;
  repliesDelivered: number;
  /** Bytes that arrived while no reply was awaited: late replies, echoes, noise. */
  bytesDiscarded: number;
  /** Requests that waited for a drain after a request without a clean reply. */
  drains: number;
}

interface PendingWrite {
  frame: Buffer;
  quietMs: number;
  /** The quiet time counts from here (or from the last byte received, if later). */
  quietFromMs: number;
}

export class RtuPort extends EventEmitter {
  // modbus-serial keeps its transaction counters on the port; RTU never advances them.
  _transactionIdRead = 1;
  _transactionIdWrite = 1;
  readonly stats: RtuPortStats = {
    framesSent: 0,
    repliesDelivered: 0,
    bytesDiscarded: 0,
    drains: 0,
  };
  private streamOpen = true;
  private awaiting: { framer: RtuReplyFramer; expected: ExpectedReply } | null = null;
  private lastExchangeClean = true;
  private lastRxMs = Number.NEGATIVE_INFINITY;
  private txEndMs = Number.NEGATIVE_INFINITY;
  private pendingWrite: PendingWrite | null = null;
  private writeTimer: NodeJS.Timeout | null = null;
  private byteTimer: NodeJS.Timeout | null = null;

  /**
   * `endStream` ends the stream for good: `destroy()` for a socket, `close()` for a serial
   * port (destroying a SerialPort stream would leave its file descriptor and lock open).
   */
  constructor(
    private readonly stream: Duplex,
    private readonly timing: RtuTiming,
    private readonly endStream: () => void = () => stream.destroy(),
    private readonly now: () => number = () => performance.now(),
  ) {
    super();
    stream.on('data', (chunk: Buffer) => this.received(chunk));
    stream.once('close', () => {
      this.streamOpen = false;
      this.clearTimers();
      this.emit('close');
    });
  }

  get isOpen(): boolean {
    return this.streamOpen;
  }

  /** Called by the modbus-serial client; the stream is already open when we are made. */
  open(callback?: (error: Error | null) => void): void {
    callback?.(this.streamOpen ? null : new Error('stream already closed'));
  }

  close(callback?: () => void): void {
    this.endStream();
    callback?.();
  }

  destroy(): void {
    this.endStream();
  }

  /** A request frame from the client (CRC included). Sent once the line has been quiet. */
  write(data: Buffer): void {
    if (!this.streamOpen) return;
    // A request still waiting for its reply, or still waiting to go out, was given up by the link.
    if (this.awaiting) this.lastExchangeClean = false;
    this.awaiting = null;
    this.clearTimers();
    const clean = this.lastExchangeClean;
    if (!clean) this.stats.drains++;
    this.pendingWrite = {
      frame: Buffer.from(data),
      quietMs: clean ? this.timing.silentIntervalMs : this.timing.drainMs,
      quietFromMs: clean ? this.txEndMs : this.now(),
    };
    this.trySend();
  }

  private trySend(): void {
    this.writeTimer = null;
    const pending = this.pendingWrite;
    if (!pending || !this.streamOpen) return;
    const quietFromMs = Math.max(pending.quietFromMs, this.lastRxMs);
    const waitMs = quietFromMs + pending.quietMs - this.now();
    if (waitMs > 0) {
      this.writeTimer = setTimeout(() => this.trySend(), Math.ceil(waitMs));
      return;
    }
    this.pendingWrite = null;
    const expected = expectedReply(pending.frame);
    // Broadcast (unit 0) gets no reply; the next request only needs the usual silence.
    this.awaiting =
      expected.unitId === 0 ? null : { framer: new RtuReplyFramer(expected), expected };
    this.lastExchangeClean = expected.unitId === 0;
    this.txEndMs = this.now() + pending.frame.length * this.timing.charTimeMs;
    this.stats.framesSent++;
    this.stream.write(pending.frame);
  }

  private received(chunk: Buffer): void {
    this.lastRxMs = this.now();
    const awaiting = this.awaiting;
    if (!awaiting) {
      this.stats.bytesDiscarded += chunk.length;
      return;
    }
    const frame = awaiting.framer.push(chunk);
    if (this.byteTimer) clearTimeout(this.byteTimer);
    this.byteTimer = null;
    if (frame) return this.deliver(frame, frame[0] === awaiting.expected.unitId);
    this.byteTimer = setTimeout(() => {
      this.byteTimer = null;
      const rest = this.awaiting?.framer.takeIncomplete();
      if (rest) this.deliver(rest, false);
    }, this.timing.byteTimeoutMs);
  }

  private deliver(frame: Buffer, clean: boolean): void {
    this.awaiting = null;
    this.lastExchangeClean = clean;
    this.stats.repliesDelivered++;
    this.emit('data', frame);
  }

  private clearTimers(): void {
    if (this.writeTimer) clearTimeout(this.writeTimer);
    if (this.byteTimer) clearTimeout(this.byteTimer);
    this.writeTimer = null;
    this.byteTimer = null;
  }
}
