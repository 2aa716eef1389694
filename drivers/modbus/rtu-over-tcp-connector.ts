// Modbus RTU frames (unit id, PDU, CRC; no MBAP header) over a TCP socket, as cheap
// Ethernet-to-RS-485 gateways pass them through ("transparent" or "raw" mode), e.g.
// modbus-rtuovertcp://192.168.1.30:4196. The gateway has no transaction ids either, so the
// RtuPort drains after trouble instead of the link re-opening the socket: a new connection
// would not stop the gateway forwarding a late reply from the bus.
import { Socket } from 'node:net';
import { fail, ok, type Result } from '../../core/result';
import { disconnected } from './client-errors';
import type { ModbusConnection, ModbusConnector } from './connector';
import { rtuConnection } from './rtu-connection';
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
    reopenAfterTimeout: false,
    connect: (timeoutMs, signal) => connectSocket(host, port, timing, timeoutMs, signal),
  };
}

function connectSocket(
  host: string,
  port: number,
  timing: RtuTiming,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Result<ModbusConnection, ModbusError>> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let lastError = 'closed by peer';
    const closed = new Promise<string>((resolveClosed) =>
      socket.once('close', () => resolveClosed(lastError)),
    );
    socket.on('error', (error: NodeJS.ErrnoException) => (lastError = error.code ?? error.message));
    let connected = false;
    const timer = setTimeout(
      () => giveUp(`connect to ${host}:${port} timed out after ${timeoutMs} ms`),
      timeoutMs,
    );
    const onAbort = (): void => giveUp('connect aborted');
    const giveUp = (reason: string): void => {
      if (connected) return;
      connected = true; // settled: later events must not resolve again
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(fail(disconnected(reason)));
    };
    if (signal.aborted) return giveUp('connect aborted');
    signal.addEventListener('abort', onAbort);
    socket.once('close', () => giveUp(`connect to ${host}:${port} failed: ${lastError}`));
    socket.connect({ host, port }, () => {
      if (connected) return;
      connected = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.setNoDelay(true);
      const end = (): void => void socket.destroy();
      resolve(ok(rtuConnection({ stream: socket, end, closed }, timing)));
    });
  });
}
