import type { ClientMessage, ServerMessage } from './contract';
import { Listeners, type ConnectionState, type Transport } from './transport';
import { decodeServerMessage } from './wire';

/** What the transport needs from a socket; the DOM WebSocket is adapted in connect.ts. */
export interface SocketHandle {
  send(data: string): void;
  close(): void;
}

export interface SocketEvents {
  open(): void;
  message(data: unknown): void;
  /** Called once per socket, also after a failed attempt (browsers send error, then close). */
  close(): void;
}

export type SocketFactory = (url: string, events: SocketEvents) => SocketHandle;

export interface WebSocketTransportOptions {
  /** Delay before the first retry; doubles per failed attempt up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** A socket that has not opened after this long is abandoned and retried. */
  connectTimeoutMs?: number;
  /** Source of jitter in [0, 1); tests pass a constant. */
  random?: () => number;
}

export function backoffDelayMs(
  attempt: number,
  initialDelayMs: number,
  maxDelayMs: number,
  random: number,
): number {
  const base = Math.min(maxDelayMs, initialDelayMs * 2 ** attempt);
  // ±20 % jitter, so many browsers in a village do not all knock at the same instant
  // after the station restarts.
  return Math.round(base * (0.8 + 0.4 * random));
}

/**
 * One WebSocket to the station at a time, replaced after every drop with exponential
 * backoff. `retryNow()` skips the wait (e.g. when the browser says it is online again).
 */
export class WebSocketTransport implements Transport {
  readonly #url: string;
  readonly #factory: SocketFactory;
  readonly #initialDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #connectTimeoutMs: number;
  readonly #random: () => number;
  readonly #messages = new Listeners<ServerMessage>();
  readonly #states = new Listeners<ConnectionState>();
  #state: ConnectionState = 'connecting';
  #socket: SocketHandle | null = null;
  #socketOpen = false;
  #attempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #connectTimer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(url: string, factory: SocketFactory, options: WebSocketTransportOptions = {}) {
    this.#url = url;
    this.#factory = factory;
    this.#initialDelayMs = options.initialDelayMs ?? 500;
    this.#maxDelayMs = options.maxDelayMs ?? 10_000;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.#random = options.random ?? Math.random;
    this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }

  send(message: ClientMessage): void {
    if (!this.#socket || !this.#socketOpen) throw new Error('WebSocket is not open');
    this.#socket.send(JSON.stringify(message));
  }

  onMessage(handler: (message: ServerMessage) => void): () => void {
    return this.#messages.add(handler);
  }

  onStateChange(handler: (state: ConnectionState) => void): () => void {
    return this.#states.add(handler);
  }

  retryNow(): void {
    if (this.#closed || this.#retryTimer === null) return;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#connect();
  }

  /**
   * Drops the socket and opens a new one at once. The host reads the session cookie when a
   * socket connects, so after a login or logout the link must be made anew.
   */
  reconnect(): void {
    if (this.#closed) return;
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = null;
    this.#socketOpen = false;
    socket?.close();
    this.#attempt = 0;
    if (this.#state === 'open') this.#setState('reconnecting');
    this.#connect();
  }

  close(): void {
    this.#closed = true;
    this.#clearTimers();
    const socket = this.#socket;
    this.#socket = null;
    socket?.close();
  }

  #connect(): void {
    let socket: SocketHandle | null = null;
    // Events of an abandoned socket must not touch the current one.
    const current = (): boolean => socket !== null && socket === this.#socket;
    const events: SocketEvents = {
      open: () => {
        if (!current()) return;
        this.#clearTimers();
        this.#socketOpen = true;
        this.#attempt = 0;
        this.#setState('open');
      },
      message: (data) => {
        if (!current()) return;
        const message = decodeServerMessage(data);
        if (message) this.#messages.emit(message);
      },
      close: () => {
        if (!current()) return;
        this.#dropped();
      },
    };
    try {
      socket = this.#factory(this.#url, events);
    } catch {
      // A malformed URL or a refused constructor is just another failed attempt.
      this.#socket = null;
      this.#scheduleRetry();
      return;
    }
    this.#socket = socket;
    this.#socketOpen = false;
    this.#connectTimer = setTimeout(() => {
      if (current() && !this.#socketOpen) this.#dropped();
    }, this.#connectTimeoutMs);
  }

  #dropped(): void {
    const socket = this.#socket;
    this.#socket = null;
    this.#socketOpen = false;
    if (this.#connectTimer !== null) clearTimeout(this.#connectTimer);
    this.#connectTimer = null;
    socket?.close();
    if (this.#closed) return;
    if (this.#state === 'open') this.#setState('reconnecting');
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed) return;
    const delay = backoffDelayMs(
      this.#attempt,
      this.#initialDelayMs,
      this.#maxDelayMs,
      this.#random(),
    );
    this.#attempt += 1;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect();
    }, delay);
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#states.emit(state);
  }

  #clearTimers(): void {
    if (this.#retryTimer !== null) clearTimeout(this.#retryTimer);
    if (this.#connectTimer !== null) clearTimeout(this.#connectTimer);
    this.#retryTimer = null;
    this.#connectTimer = null;
  }
}
