// Opens a TCP socket for a Modbus connector, with a connect timeout and an abort signal of
// its own, and a `closed` promise that always resolves with the reason the stream ended.
import { Socket } from 'node:net';
import { fail, ok, type Result } from '../../core/result';
import { disconnected } from './client-errors';
import type { ModbusError } from './unit-client';

export interface OpenedSocket {
  stream: Socket;
  end: () => void;
  closed: Promise<string>;
}

export function connectSocket(
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
