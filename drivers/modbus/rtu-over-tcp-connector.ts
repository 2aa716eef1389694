// Modbus RTU frames (unit id, PDU, CRC; no MBAP header) over a TCP socket, as cheap
// Ethernet-to-RS-485 gateways pass them through ("transparent" or "raw" mode), e.g.
// modbus-rtuovertcp://192.168.1.30:4196. Like Modbus TCP, a timeout or malformed reply costs
// the socket; unlike it, a new socket is not enough (the gateway forwards a late reply from the
// bus to whichever connection it has), so each new connection drains first (rtu-connection.ts).
import { Socket } from 'node:net';
import { fail, ok, type Result } from '../../core/result';
import { disconnected } from './client-errors';
import type { ModbusConnector } from './connector';
import { openRtuConnection } from './rtu-connection';
import { RTU_OVER_TCP_TIMING, type RtuTiming } from './rtu-timing';
import type { ModbusError } from './unit-client';

export interface RtuOverTcpOptions {
  timing?: Partial<RtuTiming>;
}

export function rtuOverTcpConnector(
  host: string,
  port: number,
  options: RtuOverTcpOptions = {},
): ModbusConnector {
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const timing = { ...RTU_OVER_TCP_TIMING, ...options.timing };
  return {
    endpoint: `modbus-rtuovertcp://${hostPart}:${port}`,
    reopenAfterTimeout: true,
    connect: async (timeoutMs, signal) => {
      const startedMs = performance.now();
      const socket = await connectSocket(host, port, timeoutMs, signal);
      if (!socket.ok) return socket;
      const remainingMs = timeoutMs - (performance.now() - startedMs);
      return openRtuConnection(socket.value, timing, remainingMs, signal);
    },
  };
}

interface OpenedSocket {
  stream: Socket;
  end: () => void;
  closed: Promise<string>;
}

function connectSocket(
  host: string,
  port: number,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Result<OpenedSocket, ModbusError>> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let lastError = 'closed by peer';
    const closed = new Promise<string>((resolveClosed) =>
      socket.once('close', () => resolveClosed(lastError)),
    );
    // Without a listener an 'error' event would crash the process; the reason is kept for 'close'.
    socket.on('error', (error: NodeJS.ErrnoException) => (lastError = error.code ?? error.message));
    let settled = false;
    const settle = (result: Result<OpenedSocket, ModbusError>): void => {
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const giveUp = (reason: string): void => {
      if (settled) return;
      settle(fail(disconnected(reason)));
      socket.destroy();
    };
    const timer = setTimeout(
      () => giveUp(`connect to ${host}:${port} timed out after ${timeoutMs} ms`),
      timeoutMs,
    );
    const onAbort = (): void => giveUp('connect aborted');
    if (signal.aborted) return giveUp('connect aborted');
    signal.addEventListener('abort', onAbort);
    socket.once('close', () => giveUp(`connect to ${host}:${port} failed: ${lastError}`));
    socket.connect({ host, port }, () => {
      if (settled) return;
      socket.setNoDelay(true);
      settle(ok({ stream: socket, end: () => void socket.destroy(), closed }));
    });
  });
}
