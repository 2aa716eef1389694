import type { ClientMessage, ServerMessage } from './contract';

/**
 * `connecting`: never been open yet; `open`: requests can be sent; `reconnecting`: was
 * open, the link dropped, and the transport is trying again.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

/** One way of carrying `ClientMessage`s to the station and `ServerMessage`s back. */
export interface Transport {
  readonly state: ConnectionState;
  /** Only called while `state` is `open`; may throw if the link died a moment ago. */
  send(message: ClientMessage): void;
  onMessage(handler: (message: ServerMessage) => void): () => void;
  onStateChange(handler: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** Tiny listener set shared by the transports and the client. */
export class Listeners<T> {
  readonly #handlers = new Set<(value: T) => void>();

  add(handler: (value: T) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }

  emit(value: T): void {
    for (const handler of [...this.#handlers]) {
      try {
        handler(value);
      } catch (error) {
        // One broken subscriber must not starve the others of data.
        console.error('station listener failed', error);
      }
    }
  }

  clear(): void {
    this.#handlers.clear();
  }
}
