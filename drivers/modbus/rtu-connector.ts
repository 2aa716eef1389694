// Modbus RTU over a local serial port (RS-485 adapter), e.g.
// modbus-rtu:///dev/ttyUSB0?baud=9600&parity=even&stop=1&data=8. One link per port (linkKey),
// shared by every unit id on the bus; the link keeps one request on the wire and the RtuPort
// keeps the silences. serialport is loaded on first use, so a station without serial devices
// never needs its native binding.
import type { SerialPort } from 'serialport';
import { fail, ok, type Result } from '../../core/result';
import type { ModbusRtuEndpoint } from '../../core/site/device-url';
import { disconnected } from './client-errors';
import type { ModbusConnection, ModbusConnector } from './connector';
import { rtuConnection } from './rtu-connection';
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
  return {
    endpoint: `modbus-rtu://${slash}${endpoint.path}`,
    reopenAfterTimeout: false,
    connect: (timeoutMs, signal) => openSerial(endpoint, timing, timeoutMs, signal),
  };
}

async function openSerial(
  endpoint: ModbusRtuEndpoint,
  timing: RtuTiming,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<Result<ModbusConnection, ModbusError>> {
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
    let settled = false;
    const settle = (result: Result<ModbusConnection, ModbusError>): void => {
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(result);
    };
    const end = (): void => {
      if (port.isOpen) port.close();
    };
    const giveUp = (reason: string): void => {
      if (settled) return;
      settle(fail(disconnected(reason)));
      end();
    };
    const timer = setTimeout(
      () => giveUp(`opening serial port ${path} timed out after ${timeoutMs} ms`),
      timeoutMs,
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
      settle(ok(rtuConnection({ stream: port, end, closed }, timing)));
    });
  });
}
