import type {
  ClientMessage,
  EventName,
  ParamsOf,
  RequestMethod,
  ResultOf,
  ServerMessage,
  StationApi,
  StationEvents,
} from './contract';
import { ApiError } from './api-error';
import { Listeners, type ConnectionState, type Transport } from './transport';

export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

export interface StationClientOptions {
  /** How long a request may wait for its answer, including time queued while offline. */
  requestTimeoutMs?: number;
}

interface Pending {
  message: ClientMessage;
  /** True once handed to the transport: a drop now means the answer is lost. */
  sent: boolean;
  resolve(value: unknown): void;
  reject(error: ApiError): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The station as the UI sees it, over whichever transport carries the wire messages.
 * Requests made while the link is down wait (until their timeout) and go out once it is
 * open; requests already sent when it drops are rejected with `disconnected`, because
 * their answers can no longer arrive. Event subscriptions belong to the client, not to a
 * socket, so they survive reconnects without the caller doing anything.
 */
export class StationClient implements StationApi {
  readonly #transport: Transport;
  readonly #timeoutMs: number;
  readonly #pending = new Map<number, Pending>();
  readonly #events = new Map<EventName, Listeners<unknown>>();
  readonly #stateListeners = new Listeners<ConnectionState>();
  readonly #unauthenticated = new Listeners<string>();
  readonly #disposers: (() => void)[] = [];
  #nextId = 1;
  #closed = false;

  constructor(transport: Transport, options: StationClientOptions = {}) {
    this.#transport = transport;
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#disposers.push(
      transport.onMessage((message) => this.#receive(message)),
      transport.onStateChange((state) => this.#stateChanged(state)),
    );
  }

  get state(): ConnectionState {
    return this.#transport.state;
  }

  /** Calls `listener` on every change of the connection state (not with the current one). */
  onStateChange(listener: (state: ConnectionState) => void): () => void {
    return this.#stateListeners.add(listener);
  }

  /**
   * Calls `listener` whenever the station refuses a request for want of a session (none,
   * or it expired), with the method refused.
   */
  onUnauthenticated(listener: (method: string) => void): () => void {
    return this.#unauthenticated.add(listener);
  }

  request<M extends RequestMethod>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
    if (this.#closed) return Promise.reject(new ApiError('disconnected', 'Client closed'));
    const id = this.#nextId++;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new ApiError('timeout', `${method}: no answer within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      const entry: Pending = {
        message: { type: 'request', id, method, params },
        sent: false,
        resolve: resolve as (value: unknown) => void,
        reject,
        timer,
      };
      this.#pending.set(id, entry);
      if (this.#transport.state === 'open') this.#send(entry);
    });
  }

  subscribe<E extends EventName>(event: E, handler: (data: StationEvents[E]) => void): () => void {
    let listeners = this.#events.get(event);
    if (!listeners) {
      listeners = new Listeners<unknown>();
      this.#events.set(event, listeners);
    }
    return listeners.add(handler as (data: unknown) => void);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const dispose of this.#disposers) dispose();
    this.#failPending(() => true, 'Client closed');
    this.#events.clear();
    this.#stateListeners.clear();
    this.#unauthenticated.clear();
    this.#transport.close();
  }

  #send(entry: Pending): void {
    try {
      this.#transport.send(entry.message);
      entry.sent = true;
    } catch {
      // The link died between the state check and the send; the transport reports the
      // drop next and the request goes out again after the reconnect.
    }
  }

  #receive(message: ServerMessage): void {
    if (message.type === 'event') {
      this.#events.get(message.event)?.emit(message.data);
      return;
    }
    const entry = this.#pending.get(message.id);
    if (!entry) return; // Timed out already, or an answer meant for an earlier client.
    this.#pending.delete(message.id);
    clearTimeout(entry.timer);
    if (message.ok) {
      entry.resolve(message.value);
      return;
    }
    entry.reject(new ApiError(message.error.code, message.error.message));
    if (message.error.code === 'unauthenticated') this.#unauthenticated.emit(entry.message.method);
  }

  #stateChanged(state: ConnectionState): void {
    if (state === 'open') {
      for (const entry of this.#pending.values()) if (!entry.sent) this.#send(entry);
    } else {
      this.#failPending((entry) => entry.sent, 'Connection to the station lost');
    }
    this.#stateListeners.emit(state);
  }

  #failPending(match: (entry: Pending) => boolean, reason: string): void {
    for (const [id, entry] of this.#pending) {
      if (!match(entry)) continue;
      this.#pending.delete(id);
      clearTimeout(entry.timer);
      entry.reject(new ApiError('disconnected', `${entry.message.method}: ${reason}`));
    }
  }
}
