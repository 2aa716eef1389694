// Modbus TCP connections. We open the socket ourselves and hand it to modbus-serial with
// `linkTCP` (the same TcpPort that `connectTCP` builds) for two reasons:
// - TcpPort clears its open flag in its 'error' handler, so after ECONNRESET it never emits
//   'close' and its client never learns the link died; watching the socket directly we
//   always see the end of the stream.
// - We need a connect timeout independent of modbus-serial's request timeout, and the power
//   to destroy the socket at once after a request timeout (see modbus-link.ts).
import ModbusRTU from 'modbus-serial';
import { fail, ok, type Result } from '../../core/result';
import { disconnected } from './client-errors';
import type { ModbusConnection, ModbusConnector } from './connector';
import { connectSocket } from './tcp-socket';
import type { ModbusError } from './unit-client';

export function tcpConnector(host: string, port: number): ModbusConnector {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `modbus-tcp://${hostPart}:${port}`,
    reopenAfterTimeout: true,
    connect: (timeoutMs, signal) => connectTcp(host, port, timeoutMs, signal),
  };
}

async function connectTcp(
  host: string,
  port: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Result<ModbusConnection, ModbusError>> {
  const socket = await connectSocket(host, port, timeoutMs, signal);
  if (!socket.ok) return socket;
  const { stream, closed, end } = socket.value;
  const client = new ModbusRTU();
  // modbus-serial re-emits port errors on the client; connectSocket's listener has them.
  client.on('error', () => undefined);
  try {
    await client.linkTCP(stream, { port });
  } catch (error) {
    end();
    return fail(disconnected(`linking modbus-serial failed: ${String(error)}`));
  }
  return ok({ client, closed, destroy: end });
}
