// The "port" a modbus-serial client writes RTU frames to and reads replies from, over any byte
// stream we opened ourselves (a serial port, or a TCP socket to an RS-485 gateway). We do not
// use modbus-serial's own RTU ports: the plain one hands the client every chunk as if it were
// a frame (the "Data length error" reports in its tracker), and neither knows about silences
// or late replies. This port:
// - delivers exactly one frame per request, found by its expected length and CRC, skipping
//   noise in front of it; a reply that stops short, or never passes its CRC, is handed over
//   once the line has been quiet for byteTimeoutMs, so the client reports it as malformed;
// - discards every byte that arrives while no reply is awaited (RTU has no transaction id:
//   a late reply must never meet a newer request), and transmits only after the line has
//   been quiet for t3.5, counted from the last byte received and from the estimated end of
//   our own previous frame;
// - can wait for the line to go quiet (`quiet()`): the connectors do that after opening,
//   which the link does again after every timeout or malformed reply (see rtu-connection.ts).
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { withCrc } from './crc16';
import { expectedReply, RtuReplyFramer } from './rtu-reply-framer';
import type { RtuTiming } from './rtu-timing';

export interface RtuPortStats {
  framesSent: number;
  repliesDelivered: number;
  /** Bytes that arrived while no reply was awaited: late replies, echoes, noise. */
  bytesDiscarded: number;
}

export class RtuPort extends EventEmitter {
  // modbus-serial keeps its transaction counters on the port; RTU never advances them.
  _transactionIdRead = 1;
  _transactionIdWrite = 1;
  readonly stats: RtuPortStats = { framesSent: 0, repliesDelivered: 0, bytesDiscarded: 0 };
  private streamOpen = true;
  private awaiting: RtuReplyFramer | null = null;
  private lastRxMs = Number.NEGATIVE_INFINITY;
  private txEndMs = Number.NEGATIVE_INFINITY;
  private pendingWrite: Buffer | null = null;
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

  /** A request frame from the client (CRC included). Sent once the line has been quiet for t3.5. */
  write(data: Buffer): void {
    if (!this.streamOpen) return;
    // A request still waiting for its reply, or still waiting to go out, was given up by the link.
    this.awaiting = null;
    this.clearTimers();
    this.pendingWrite = Buffer.from(data);
    this.trySend();
  }

  /**
   * Resolves once no byte has arrived for `quietMs` (bytes meanwhile are discarded), or with
   * false if the line is still busy after `giveUpAfterMs` or `signal` aborts.
   */
  quiet(quietMs: number, giveUpAfterMs: number, signal?: AbortSignal): Promise<boolean> {
    const startedMs = this.now();
    return new Promise((resolve) => {
      const check = (): void => {
        if (!this.streamOpen || signal?.aborted) return resolve(false);
        const nowMs = this.now();
        const waitMs = Math.max(startedMs, this.lastRxMs) + quietMs - nowMs;
        if (waitMs <= 0) return resolve(true);
        if (nowMs - startedMs + waitMs > giveUpAfterMs) return resolve(false);
        setTimeout(check, Math.ceil(waitMs));
      };
      check();
    });
  }

  private trySend(): void {
    this.writeTimer = null;
    const frame = this.pendingWrite;
    if (!frame || !this.streamOpen) return;
    const quietFromMs = Math.max(this.txEndMs, this.lastRxMs);
    const waitMs = quietFromMs + this.timing.silentIntervalMs - this.now();
    if (waitMs > 0) {
      this.writeTimer = setTimeout(() => this.trySend(), Math.ceil(waitMs));
      return;
    }
    this.pendingWrite = null;
    const expected = expectedReply(frame);
    // Broadcast (unit 0) gets no reply: whatever comes is noise.
    this.awaiting = expected.unitId === 0 ? null : new RtuReplyFramer(expected);
    const frameMs = frame.length * this.timing.charTimeMs;
    this.txEndMs = this.now() + frameMs;
    this.stats.framesSent++;
    this.stream.write(frame);
    if (expected.unitId === 0) this.confirmBroadcast(frame, frameMs);
  }

  /**
   * No unit answers a broadcast write, and the client would wait for a reply until the link
   * times it out. The spec has the master wait a turnaround delay instead (for the units to
   * act) and then go on: we hand the client the reply a unit would give, from unit 0, once the
   * frame has left and that delay has passed. It confirms the frame was sent, nothing more.
   */
  private confirmBroadcast(frame: Buffer, frameMs: number): void {
    const functionCode = frame[1];
    if (functionCode !== 5 && functionCode !== 6 && functionCode !== 15 && functionCode !== 16)
      return; // reads cannot be broadcast; the link's timeout answers them
    const reply = withCrc(frame.subarray(0, 6));
    this.writeTimer = setTimeout(
      () => {
        this.writeTimer = null;
        this.deliver(reply);
      },
      Math.ceil(frameMs + this.timing.broadcastTurnaroundMs),
    );
  }

  private received(chunk: Buffer): void {
    this.lastRxMs = this.now();
    const framer = this.awaiting;
    if (!framer) {
      this.stats.bytesDiscarded += chunk.length;
      return;
    }
    const frame = framer.push(chunk);
    if (this.byteTimer) clearTimeout(this.byteTimer);
    this.byteTimer = null;
    if (frame) return this.deliver(frame);
    this.byteTimer = setTimeout(() => {
      this.byteTimer = null;
      const rest = this.awaiting?.takeIncomplete();
      if (rest) this.deliver(rest);
    }, this.timing.byteTimeoutMs);
  }

  private deliver(frame: Buffer): void {
    this.awaiting = null;
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
