// A modbus-serial client over an RtuPort: the part the serial and the RTU-over-TCP connectors
// share once their stream is open.
//
// Late replies. RTU frames carry no transaction id, so a reply that arrives after its request
// timed out looks exactly like the reply to the next request. Both RTU connectors therefore
// ask the link to re-open after a timeout or a malformed reply (reopenAfterTimeout), and every
// new connection first waits until the line has been quiet for drainMs, discarding what comes
// meanwhile. The wait happens while the link is connecting, so it is not taken from the next
// request's timeout (were it, a timeout shorter than the drain would make every following
// request time out too). A reply later than timeout + drainMs still cannot be told apart:
// the timeout must cover the slowest device on the bus.
import type { Duplex } from 'node:stream';
import ModbusRTU from 'modbus-serial';
import { fail, ok, type Result } from '../../core/result';
import { disconnected } from './client-errors';
import type { ModbusConnection } from './connector';
import { RtuPort } from './rtu-port';
import type { RtuTiming } from './rtu-timing';
import type { ModbusError } from './unit-client';

export interface RtuStream {
  stream: Duplex;
  /** Ends the stream for good (see RtuPort). */
  end: () => void;
  /** Resolves once, with a reason, when the stream has closed. */
  closed: Promise<string>;
}

export async function openRtuConnection(
  { stream, end, closed }: RtuStream,
  timing: RtuTiming,
  remainingMs: number,
  signal: AbortSignal,
): Promise<Result<ModbusConnection, ModbusError>> {
  const port = new RtuPort(stream, timing, end);
  const quiet = await port.quiet(timing.drainMs, remainingMs, signal);
  if (!quiet) {
    end();
    if (signal.aborted) return fail(disconnected('connect aborted'));
    if (!port.isOpen) return fail(disconnected(await closed));
    return fail(
      disconnected(
        `the line did not go quiet for ${timing.drainMs} ms (another master on the bus, or noise?)`,
      ),
    );
  }
  const client = new ModbusRTU(port);
  // modbus-serial re-emits port errors on the client; the connectors watch the stream itself.
  client.on('error', () => undefined);
  // Registers the client's reply handler on the port; our port is open, so this is synchronous.
  client.open();
  return ok({ client, closed, destroy: end });
}

/** Resolves when `promise` settles or after `ms`, whichever is first. */
export function within(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, Math.max(0, ms));
    void promise.finally(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
