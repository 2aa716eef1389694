import type { ClientMessage, ServerMessage } from '../../../renderer/api/contract';
import { Listeners, type ConnectionState, type Transport } from '../../../renderer/api/transport';

/** A transport driven by the test: it records what is sent and plays the station's part. */
export class FakeTransport implements Transport {
  state: ConnectionState = 'connecting';
  readonly sent: ClientMessage[] = [];
  closed = false;
  failNextSend = false;
  readonly #messages = new Listeners<ServerMessage>();
  readonly #states = new Listeners<ConnectionState>();

  send(message: ClientMessage): void {
    if (this.state !== 'open') throw new Error('not open');
    if (this.failNextSend) {
      this.failNextSend = false;
      throw new Error('socket died');
    }
    this.sent.push(message);
  }

  onMessage(handler: (message: ServerMessage) => void): () => void {
    return this.#messages.add(handler);
  }

  onStateChange(handler: (state: ConnectionState) => void): () => void {
    return this.#states.add(handler);
  }

  close(): void {
    this.closed = true;
  }

  setState(state: ConnectionState): void {
    this.state = state;
    this.#states.emit(state);
  }

  deliver(message: ServerMessage): void {
    this.#messages.emit(message);
  }

  reply(id: number, value: unknown): void {
    this.deliver({ type: 'response', id, ok: true, value });
  }
}
