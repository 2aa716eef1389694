// modbus-serial reports failures as loosely typed Error objects: exception replies carry
// `modbusCode`, its own classes have a `name`, reply checks are plain messages, and socket
// errors carry an errno. This turns them into the ModbusError codes callers switch on.
import { exceptionError, type ModbusError } from './unit-client';

interface ClientErrorShape {
  name?: unknown;
  message?: unknown;
  modbusCode?: unknown;
  errno?: unknown;
  code?: unknown;
}

const SOCKET_ERRNOS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ENOTCONN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

export function mapClientError(error: unknown): ModbusError {
  const e: ClientErrorShape =
    typeof error === 'object' && error !== null ? (error as ClientErrorShape) : {};
  const message = typeof e.message === 'string' ? e.message : String(error);
  if (typeof e.modbusCode === 'number') return exceptionError(e.modbusCode);
  if (e.name === 'TransactionTimedOutError')
    return { code: 'timeout', message: 'no reply in time' };
  if (e.name === 'PortNotOpenError') return disconnected('connection is not open');
  const errno = typeof e.code === 'string' ? e.code : typeof e.errno === 'string' ? e.errno : '';
  if (SOCKET_ERRNOS.has(errno)) return disconnected(`${errno}: ${message}`);
  // CRC, length, unit id and function code mismatches, and parse failures of short frames.
  return { code: 'bad_reply', message: `malformed reply: ${message}` };
}

export function disconnected(reason: string): ModbusError {
  return { code: 'disconnected', message: `link down: ${reason}` };
}

export function timeoutError(timeoutMs: number): ModbusError {
  return { code: 'timeout', message: `no reply within ${timeoutMs} ms` };
}

export function closedError(): ModbusError {
  return { code: 'closed', message: 'link closed by the station' };
}
