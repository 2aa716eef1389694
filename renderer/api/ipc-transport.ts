import type { ClientMessage, PreloadBridge, ServerMessage } from './contract';
import { Listeners, type ConnectionState, type Transport } from './transport';
import { parseServerMessage } from './wire';

/**
 * Electron IPC through the preload bridge. The main process lives as long as the window,
 * so this link is always open; a failed invoke becomes an error answer to that request.
 */
export class IpcTransport implements Transport {
  readonly state: ConnectionState = 'open';
  readonly #bridge: PreloadBridge;
  readonly #messages = new Listeners<ServerMessage>();
  readonly #unsubscribe: () => void;
  #closed = false;

  constructor(bridge: PreloadBridge) {
    this.#bridge = bridge;
    this.#unsubscribe = bridge.onEvent((raw) => this.#deliver(raw));
  }

  send(message: ClientMessage): void {
    this.#bridge.request(message).then(
      (raw) => this.#deliver(raw),
      (error: unknown) =>
        this.#deliver({
          type: 'response',
          id: message.id,
          ok: false,
          error: {
            code: 'internal',
            message: error instanceof Error ? error.message : String(error),
          },
        }),
    );
  }

  onMessage(handler: (message: ServerMessage) => void): () => void {
    return this.#messages.add(handler);
  }

  onStateChange(): () => void {
    return () => {};
  }

  close(): void {
    this.#closed = true;
    this.#unsubscribe();
    this.#messages.clear();
  }

  #deliver(raw: unknown): void {
    if (this.#closed) return;
    const message = parseServerMessage(raw);
    if (message) this.#messages.emit(message);
  }
}

/** True if `value` looks like what the preload exposes (it is untyped `window` data). */
export function isPreloadBridge(value: unknown): value is PreloadBridge {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof PreloadBridge, unknown>>;
  return typeof candidate.request === 'function' && typeof candidate.onEvent === 'function';
}
