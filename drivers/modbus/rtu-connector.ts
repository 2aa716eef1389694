// Modbus RTU over a local serial port (RS-485 adapter), e.g.
// modbus-rtu:///dev/ttyUSB0?baud=9600&parity=even&stop=1&data=8. One link per port (linkKey),
// shared by every unit id on the bus; the link keeps one request on the wire, the RtuPort keeps
// the silences, and after a timeout or malformed reply the port is closed, re-opened and
// drained (see rtu-connection.ts). On Linux that costs about a millisecond plus the drain.
// serialport is loaded on first use, so a station without serial devices never loads its
// native binding.
import type { SerialPort } from 'serialport';
import { fail, ok, type Result } from '../../core/result';
import type { ModbusRtuEndpoint } from '../../core/site/device-url';
import { disconnected } from './client-errors';
import type { ModbusConnector } from './connector';
import { openRtuConnection, within } from './rtu-connection';
import { serialRtuTiming, type RtuTiming } from './rtu-timing';
import { serialCloseReason, serialOpenProblem } from './serial-errors';
import type { ModbusError } from './unit-client';

export interface RtuConnectorOptions {
  /** Overrides the timing derived from baud rate and framing (tests, odd adapters). */
  timing?: Partial<RtuTiming>;
}

export function rtuConnector(
  endpoint: ModbusRtuEndpoint,
  options: RtuConnectorOptions = {},
): ModbusConnector {
  const timing = { ...serialRtuTiming(endpoint), ...options.timing };
  const slash = endpoint.path.startsWith('/') ? '' : '/';
  // The port is locked while open: a new connection waits until the previous one has closed.
  let previousClosed: Promise<unknown> = Promise.resolve();
  return {
    endpoint: `modbus-rtu://${slash}${endpoint.path}`,
    reopenAfterTimeout: true,
    connect: async (timeoutMs, signal) => {
      const startedMs = performance.now();
      await within(previousClosed, timeoutMs);
      const remainingMs = (): number => timeoutMs - (performance.now() - startedMs);
      const opened = await openSerialPort(endpoint, remainingMs(), signal);
      if (!opened.ok) return opened;
      previousClosed = opened.value.closed;
      return openRtuConnection(opened.value, timing, remainingMs(), signal);
    },
  };
}

interface OpenedPort {
  stream: SerialPort;
  end: () => void;
  closed: Promise<string>;
}

async function openSerialPort(
  endpoint: ModbusRtuEndpoint,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Result<OpenedPort, ModbusError>> {
  const { path } = endpoint;
  let SerialPortClass: typeof SerialPort;
  try {
    ({ SerialPort: SerialPortClass } = await import('serialport'));
  } catch (error) {
    return fail(disconnected(`serial ports are not available here: ${String(error)}`));
  }
  return new Promise((resolve) => {
    let port: SerialPort;
    try {
      port = new SerialPortClass({
        path,
        baudRate: endpoint.baudRate,
        parity: endpoint.parity,
        stopBits: endpoint.stopBits,
        dataBits: endpoint.dataBits,
        autoOpen: false,
      });
    } catch (error) {
      return resolve(fail(disconnected(serialOpenProblem(path, error))));
    }
    let lastError: string | null = null;
    // Without a listener an 'error' event would crash the process; the reason is kept for 'close'.
    port.on('error', (error: Error) => (lastError = error.message));
    const end = (): void => {
      if (port.isOpen) port.close();
    };
    let settled = false;
    const settle = (result: Result<OpenedPort, ModbusError>): void => {
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const giveUp = (reason: string): void => {
      if (settled) return;
      settle(fail(disconnected(reason)));
      end();
    };
    const timer = setTimeout(
      () => giveUp(`opening serial port ${path} timed out after ${timeoutMs} ms`),
      Math.max(0, timeoutMs),
    );
    const onAbort = (): void => giveUp('connect aborted');
    if (signal.aborted) return giveUp('connect aborted');
    signal.addEventListener('abort', onAbort);

    port.open((error) => {
      if (error) return giveUp(serialOpenProblem(path, error));
      // Opened after we gave up (timeout or abort): nobody will use it.
      if (settled) return end();
      const closed = new Promise<string>((resolveClosed) =>
        port.once('close', (closeError: unknown) => {
          // A stream that closed on its own may still hold the descriptor and its lock.
          end();
          resolveClosed(serialCloseReason(path, closeError, lastError));
        }),
      );
      settle(ok({ stream: port, end, closed }));
    });
  });
}
