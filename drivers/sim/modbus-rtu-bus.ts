// One simulated RS-485 bus: the slave side of one byte stream (a serial port, or one TCP
// connection in RTU-over-TCP). Every unit on the bus hears every frame; the addressed one
// answers, nobody answers a unit that is not there, and a broadcast (unit 0) write is carried
// out by all units without a reply. Frame ends come from the request's length or, failing
// that, from silence on the line.
import type { Duplex } from 'node:stream';
import { withCrc } from '../modbus/crc16';
import { answerPdu, exceptionPdu } from './modbus-pdu';
import { faultyReply, type ModbusRtuFault } from './modbus-rtu-faults';
import { RtuRequestDecoder } from './modbus-rtu-request-decoder';
import type { ModbusUnitHandler } from './modbus-unit-handler';

export interface RtuBusStats {
  id: number;
  /** e.g. `serial /tmp/pty/b` or `tcp 127.0.0.1:50412` */
  peer: string;
  open: boolean;
  /** Request frames with a valid CRC, for any unit. */
  requests: number;
  /** Replies put on the line (faulty ones included, trailing noise not). */
  replies: number;
  /** Requests for unit ids nobody on this bus has. */
  unanswered: number;
  broadcasts: number;
  /** Bytes dropped as noise: failed CRCs, fragments. */
  noiseBytes: number;
  /** Most requests waiting for their reply at one time: 1 unless a master talks over a reply. */
  maxOutstanding: number;
  /**
   * Shortest quiet time from our last write to the first byte of the next request, as this
   * side sees it (wire time is not added: on a pty there is none).
   */
  minTurnaroundMs: number | null;
}

export interface RtuBusUnits {
  unit(unitId: number): ModbusUnitHandler | undefined;
  all(): Iterable<ModbusUnitHandler>;
  fault(unitId: number): ModbusRtuFault | undefined;
}

export interface RtuBusOptions {
  id: number;
  peer: string;
  /** Silence that ends a frame whose length the decoder cannot know. */
  frameGapMs: number;
  /** Ends the stream for good. */
  end: () => void;
}

const BROADCAST_FUNCTIONS = new Set([5, 6, 15, 16]);

export class RtuBus {
  readonly stats: RtuBusStats;
  private readonly decoder = new RtuRequestDecoder();
  private readonly timers = new Set<NodeJS.Timeout>();
  private silenceTimer: NodeJS.Timeout | null = null;
  private outstanding = 0;
  private lastTxMs: number | null = null;

  constructor(
    private readonly stream: Duplex,
    private readonly units: RtuBusUnits,
    private readonly options: RtuBusOptions,
  ) {
    this.stats = {
      id: options.id,
      peer: options.peer,
      open: true,
      requests: 0,
      replies: 0,
      unanswered: 0,
      broadcasts: 0,
      noiseBytes: 0,
      maxOutstanding: 0,
      minTurnaroundMs: null,
    };
    stream.on('data', (chunk: Buffer) => this.received(chunk));
    // Errors (a vanished pty or client) only end this bus.
    stream.on('error', () => undefined);
    stream.once('close', () => this.stopped());
  }

  /** Ends the stream and forgets pending replies; idempotent. */
  close(): void {
    this.options.end();
    this.stopped();
  }

  private received(chunk: Buffer): void {
    const nowMs = performance.now();
    if (!this.decoder.pending && this.lastTxMs !== null) {
      const gapMs = nowMs - this.lastTxMs;
      const min = this.stats.minTurnaroundMs;
      this.stats.minTurnaroundMs = min === null ? gapMs : Math.min(min, gapMs);
    }
    this.handleAll(this.decoder.push(chunk));
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = null;
    if (!this.decoder.pending) return;
    this.silenceTimer = setTimeout(() => {
      this.silenceTimer = null;
      this.handleAll(this.decoder.silence());
    }, this.options.frameGapMs);
  }

  private handleAll(frames: Buffer[]): void {
    this.stats.noiseBytes += this.decoder.takeDroppedBytes();
    if (this.stats.open) frames.forEach((frame) => this.handle(frame));
  }

  private handle(frame: Buffer): void {
    this.stats.requests++;
    const unitId = frame[0]!;
    const functionCode = frame[1]!;
    const pdu = frame.subarray(1, -2);
    if (unitId === 0) {
      this.stats.broadcasts++;
      if (BROADCAST_FUNCTIONS.has(functionCode))
        for (const handler of this.units.all()) answerPdu(handler, pdu);
      return;
    }
    const handler = this.units.unit(unitId);
    if (!handler) {
      this.stats.unanswered++;
      return;
    }
    const fault = this.units.fault(unitId);
    const replyPdu =
      fault?.kind === 'exception'
        ? exceptionPdu(functionCode, fault.exceptionCode)
        : answerPdu(handler, pdu);
    const pieces = faultyReply(withCrc([unitId, ...replyPdu]), fault);
    if (pieces.length === 0) return;
    this.outstanding++;
    this.stats.maxOutstanding = Math.max(this.stats.maxOutstanding, this.outstanding);
    let delayMs = 0;
    pieces.forEach((piece, index) => {
      delayMs += piece.delayMs;
      this.later(delayMs, () => {
        if (index === 0) {
          this.outstanding--;
          this.stats.replies++;
        }
        this.send(piece.bytes);
      });
    });
  }

  private later(delayMs: number, action: () => void): void {
    if (delayMs <= 0) return action();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      action();
    }, delayMs);
    this.timers.add(timer);
  }

  private send(bytes: Buffer): void {
    if (!this.stats.open) return;
    this.lastTxMs = performance.now();
    this.stream.write(bytes);
  }

  private stopped(): void {
    this.stats.open = false;
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.silenceTimer = null;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
