// A modbus-serial client over an RtuPort: the part the serial and the RTU-over-TCP
// connectors share once their stream is open.
import type { Duplex } from 'node:stream';
import ModbusRTU from 'modbus-serial';
import type { ModbusConnection } from './connector';
import { RtuPort } from './rtu-port';
import type { RtuTiming } from './rtu-timing';

export interface RtuStream {
  stream: Duplex;
  /** Ends the stream for good (see RtuPort). */
  end: () => void;
  /** Resolves once, with a reason, when the stream has closed. */
  closed: Promise<string>;
}

export function rtuConnection(
  { stream, end, closed }: RtuStream,
  timing: RtuTiming,
): ModbusConnection & { port: RtuPort } {
  const port = new RtuPort(stream, timing, end);
  const client = new ModbusRTU(port);
  // modbus-serial re-emits port errors on the client; the connectors watch the stream itself.
  client.on('error', () => undefined);
  // Registers the client's reply handler on the port; our port is open already, so this is synchronous.
  client.open();
  return { client, closed, destroy: end, port };
}
