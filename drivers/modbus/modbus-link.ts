// A link is one physical connection (a TCP socket to host:port today, a serial port later)
// shared by every unit id behind it. It owns the only queue to that connection:
// - one request on the wire at a time, whatever the unit id (RS-485 behind a gateway is
//   half-duplex, and many gateways break on pipelined requests), with an optional gap;
// - units take turns (round-robin), so a silent unit delays others by at most one timeout;
// - every request gets a timer, and every promise settles: with the reply, 'timeout',
//   'disconnected' when the connection dies, or 'closed' when the station closes the link.
//
// Late replies. modbus-serial matches TCP replies by a transaction id that wraps at 256 and
// never forgets old entries, so a reply that arrives after its request timed out is ignored
// only until the id comes round again; a device that answers with a wrong (e.g. the next) id
// defeats it at once (modbus-serial issues #573, #582, #264). Rather than depend on that
// table, after a timeout or a malformed reply we destroy the socket and open a new one
// before the next request: bytes meant for the old request can then never be read as a
// reply to a newer one. It costs one TCP handshake (about a millisecond on a LAN) per
// timeout, which is small next to the timeout itself, and it also clears gateways that keep
// a stale request queued. Connectors whose medium cannot hold a late reply opt out.
//
// Reconnecting. If a connection that has carried a reply is lost, we reconnect at once and
// queued requests wait for that attempt (gateways close idle sockets). Otherwise the link is
// 'down': requests fail fast with 'disconnected' while attempts continue with exponential
// backoff, reset by the first reply on a new connection.
import { fail, type Result } from '../../core/result';
import { Backoff } from './backoff';
import { closedError, disconnected, mapClientError, timeoutError } from './client-errors';
import type { ModbusConnection, ModbusConnector } from './connector';
import {
  linkOptions,
  type LinkOptions,
  type LinkState,
  type LinkStatus,
  type RequestOptions,
} from './link-options';
import {
  assertValidRequest,
  sendRequest,
  type ModbusReply,
  type ModbusRequest,
} from './modbus-request';
import { ModbusUnit } from './modbus-unit';
import { RoundRobinQueue } from './round-robin-queue';
import { UnitHealthTracker, type UnitHealth } from './unit-health';
import type { ModbusError, ModbusResult } from './unit-client';

export type { LinkState, LinkStatus, RequestOptions } from './link-options';

interface Pending {
  unitId: number;
  request: ModbusRequest;
  timeoutMs: number;
  resolve: (result: ModbusResult<unknown>) => void;
}

interface InFlight {
  pending: Pending;
  connection: ModbusConnection;
  startedMs: number;
  timer: NodeJS.Timeout;
}

export class ModbusLink {
  readonly endpoint: string;
  private readonly options: LinkOptions;
  private readonly queue = new RoundRobinQueue<Pending>();
  private readonly backoff: Backoff;
  private readonly trackers = new Map<number, UnitHealthTracker>();
  private linkState: LinkState = 'idle';
  private connection: ModbusConnection | null = null;
  private inFlight: InFlight | null = null;
  /** Bumped to orphan a connect attempt that is still running (close, or a newer attempt). */
  private attemptSeq = 0;
  private attemptAbort: AbortController | null = null;
  private connectAttempts = 0;
  private lastConnectError: string | null = null;
  private provenConnection = false;
  private gapUntilMs = 0;
  private gapTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private nextAttemptMs: number | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly connector: ModbusConnector,
    options: Partial<LinkOptions> = {},
  ) {
    this.endpoint = connector.endpoint;
    this.options = linkOptions(options);
    this.backoff = new Backoff(this.options.backoff);
  }

  get state(): LinkState {
    return this.linkState;
  }

  unit(unitId: number, options: RequestOptions = {}): ModbusUnit {
    return new ModbusUnit(this, unitId, options);
  }

  /** Throws RangeError for arguments outside the protocol's limits (a caller bug). */
  request<R extends ModbusRequest>(
    unitId: number,
    request: R,
    options: RequestOptions = {},
  ): Promise<ModbusResult<ModbusReply<R>>> {
    assertValidRequest(unitId, request);
    return new Promise((resolve) => {
      const pending: Pending = {
        unitId,
        request,
        timeoutMs: options.timeoutMs ?? this.options.timeoutMs,
        resolve: resolve as (result: ModbusResult<unknown>) => void,
      };
      if (this.linkState === 'closed') return this.settle(pending, fail(closedError()), null);
      if (this.linkState === 'down') return this.settle(pending, fail(this.downError()), null);
      this.queue.push(unitId, pending);
      if (this.linkState === 'idle') this.connect('connecting');
      else this.pump();
    });
  }

  health(unitId: number): UnitHealth {
    const usable = this.linkState !== 'down' && this.linkState !== 'closed';
    return this.tracker(unitId).snapshot(usable);
  }

  status(): LinkStatus {
    return {
      endpoint: this.endpoint,
      state: this.linkState,
      connectAttempts: this.connectAttempts,
      consecutiveConnectFailures: this.backoff.failures,
      nextAttemptMs: this.nextAttemptMs,
      lastConnectError: this.lastConnectError,
      queued: this.queue.size,
    };
  }

  /** Settles everything pending with 'closed' and ends the connection; idempotent. */
  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.linkState = 'closed';
    this.attemptSeq++;
    this.attemptAbort?.abort();
    this.clearTimers();
    if (this.inFlight) this.finish(this.inFlight, fail(closedError()));
    for (const pending of this.queue.drain()) this.settle(pending, fail(closedError()), null);
    const connection = this.connection;
    this.connection = null;
    connection?.destroy();
    this.closing = connection ? connection.closed.then(() => undefined) : Promise.resolve();
    return this.closing;
  }

  private pump(): void {
    if (this.linkState !== 'up' || this.inFlight || this.gapTimer || !this.connection) return;
    const waitMs = this.gapUntilMs - this.options.now();
    if (waitMs > 0) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = null;
        this.pump();
      }, waitMs);
      return;
    }
    const pending = this.queue.shift();
    if (!pending) return;
    const connection = this.connection;
    const flight: InFlight = {
      pending,
      connection,
      startedMs: this.options.now(),
      timer: setTimeout(
        () => this.finish(flight, fail(timeoutError(pending.timeoutMs))),
        pending.timeoutMs,
      ),
    };
    this.inFlight = flight;
    try {
      sendRequest(connection.client, pending.unitId, pending.request, (result) =>
        this.finish(flight, result),
      );
    } catch (error) {
      // A throw inside modbus-serial must not leave the link waiting on a request forever.
      this.finish(flight, fail(mapClientError(error)));
    }
  }

  private finish(flight: InFlight, result: ModbusResult<unknown>): void {
    if (this.inFlight !== flight) return; // already settled by a timeout, a disconnect or close()
    clearTimeout(flight.timer);
    this.inFlight = null;
    const now = this.options.now();
    const replied = result.ok || result.error.exceptionCode !== undefined;
    if (replied && this.linkState !== 'closed') {
      this.provenConnection = true;
      this.backoff.reset();
    }
    this.settle(flight.pending, result, replied ? now - flight.startedMs : null);
    this.gapUntilMs = now + this.options.interRequestGapMs;
    if (this.linkState === 'closed' || result.ok) return this.pump();
    const code = result.error.code;
    if (code === 'disconnected')
      return this.connectionLost(flight.connection, result.error.message);
    if ((code === 'timeout' || code === 'bad_reply') && this.connector.reopenAfterTimeout) {
      return this.reopen(flight.connection);
    }
    this.pump();
  }

  /** Deliberate drop after a timeout or malformed reply: see the comment at the top. */
  private reopen(connection: ModbusConnection): void {
    if (connection !== this.connection) return;
    this.connection = null;
    connection.destroy();
    this.connect('connecting');
  }

  private connectionLost(connection: ModbusConnection, reason: string): void {
    if (connection !== this.connection || this.linkState === 'closed') return;
    this.connection = null;
    connection.destroy();
    const proven = this.provenConnection;
    if (proven) this.connect('connecting');
    else this.goDown(reason);
    if (this.inFlight) this.finish(this.inFlight, fail(disconnected(reason)));
  }

  /** Starts one connect attempt; `whileState` is what callers see until it ends. */
  private connect(whileState: 'connecting' | 'down'): void {
    this.linkState = whileState;
    this.nextAttemptMs = null;
    const attempt = ++this.attemptSeq;
    this.connectAttempts++;
    this.attemptAbort = new AbortController();
    void this.connector
      .connect(this.options.connectTimeoutMs, this.attemptAbort.signal)
      .then((result) => this.connected(attempt, result));
  }

  private connected(attempt: number, result: Result<ModbusConnection, ModbusError>): void {
    if (attempt !== this.attemptSeq || this.linkState === 'closed') {
      if (result.ok) result.value.destroy();
      return;
    }
    if (!result.ok) return this.goDown(result.error.message);
    const connection = result.value;
    this.connection = connection;
    this.provenConnection = false;
    this.lastConnectError = null;
    this.linkState = 'up';
    void connection.closed.then((reason) => this.connectionLost(connection, reason));
    this.pump();
  }

  private goDown(reason: string): void {
    this.linkState = 'down';
    this.lastConnectError = reason;
    for (const pending of this.queue.drain())
      this.settle(pending, fail(disconnected(reason)), null);
    const delayMs = this.backoff.next();
    this.nextAttemptMs = this.options.now() + delayMs;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect('down');
    }, delayMs);
    // A link nobody closes must not keep the process alive just to retry.
    this.retryTimer.unref();
  }

  private downError(): ModbusError {
    const retry =
      this.nextAttemptMs === null
        ? 'now'
        : `in ${Math.max(0, this.nextAttemptMs - this.options.now())} ms`;
    return disconnected(`${this.lastConnectError ?? 'connection lost'} (next attempt ${retry})`);
  }

  private settle(pending: Pending, result: ModbusResult<unknown>, latencyMs: number | null): void {
    this.tracker(pending.unitId).record(result, latencyMs, this.options.now());
    pending.resolve(result);
  }

  private tracker(unitId: number): UnitHealthTracker {
    let tracker = this.trackers.get(unitId);
    if (!tracker)
      this.trackers.set(unitId, (tracker = new UnitHealthTracker(this.options.offlineAfterErrors)));
    return tracker;
  }

  private clearTimers(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.gapTimer = null;
    this.retryTimer = null;
    this.nextAttemptMs = null;
  }
}
