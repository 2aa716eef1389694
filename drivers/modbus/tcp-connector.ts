// Modbus TCP connections. We open the socket ourselves and hand it to modbus-serial with
// `linkTCP` (the same TcpPort that `connectTCP` builds) for two reasons:
// - TcpPort clears its open flag in its 'error' handler, so after ECONNRESET it never emits
//   'close' and its client never learns the link died; watching the socket directly we
//   always see the end of the stream.
// - We need a connect timeout independent of modbus-serial's request timeout, and the power
//   to destroy the socket at once after a request timeout (see modbus-link.ts).
import { Socket } from 'node:net';
import ModbusRTU from 'modbus-serial';
import { fail, ok, type Result } from '../../core/result';
import { disconnected } from './client-errors';
import type { ModbusConnection, ModbusConnector } from './connector';
import type { ModbusError } from './unit-client';

export function tcpConnector(host: string, port: number): ModbusConnector {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    endpoint: `modbus-tcp://${hostPart}:${port}`,
    reopenAfterTimeout: true,
    connect: (timeoutMs, signal) => connectTcp(host, port, timeoutMs, signal),
  };
}

function connectTcp(
  host: string,
  port: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Result<ModbusConnection, ModbusError>> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let lastError = 'closed by peer';
    const closed = new Promise<string>((resolveClosed) =>
      socket.once('close', () => resolveClosed(lastError)),
    );
    // Without a listener an 'error' event would crash the process; the reason is kept for 'close'.
    socket.on('error', (error: NodeJS.ErrnoException) => (lastError = error.code ?? error.message));

    const timer = setTimeout(
      () => giveUp(`connect to ${host}:${port} timed out after ${timeoutMs} ms`),
      timeoutMs,
    );
    const onAbort = (): void => giveUp('connect aborted');
    const giveUp = (reason: string): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(fail(disconnected(reason)));
    };
    if (signal.aborted) return giveUp('connect aborted');
    signal.addEventListener('abort', onAbort);
    let connected = false;
    socket.once('close', () => {
      if (!connected) giveUp(`connect to ${host}:${port} failed: ${lastError}`);
    });

    socket.connect({ host, port }, () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      connected = true;
      socket.setNoDelay(true);
      const client = new ModbusRTU();
      // modbus-serial re-emits port errors on the client; the socket listener above has them.
      client.on('error', () => undefined);
      client
        .linkTCP(socket, { port })
        .then(() => {
          const destroy = (): void => void socket.destroy();
          resolve(ok({ client, closed, destroy }));
        })
        .catch((error: unknown) => giveUp(`linking modbus-serial failed: ${String(error)}`));
    });
  });
}
