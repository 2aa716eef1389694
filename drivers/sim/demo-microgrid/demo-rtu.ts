// The demo's household meters also on Modbus RTU, as they would hang on one RS-485 bus in
// a real block of flats: over a serial port (a socat pty when practising) and/or as RTU
// frames over TCP (like a transparent RS-485 gateway). Same register images as on TCP.
import type { SerialFraming } from '../../modbus/rtu-timing';
import { DEFAULT_SERIAL_FRAMING, ModbusRtuServer } from '../modbus-rtu-server';
import type { DemoEndpoint, DemoMicrogrid } from './demo-microgrid';
import { sunspecUnitHandler } from './sunspec-unit-handler';

export interface DemoRtuOptions {
  /** Serial device to serve the meters on, e.g. one end of a socat pty pair. */
  serialPath?: string;
  framing?: SerialFraming;
  /** TCP port for RTU over TCP (0 = a free port); omitted = no RTU-over-TCP listener. */
  overTcpPort?: number;
  host?: string;
}

export interface DemoRtu {
  readonly endpoints: readonly DemoEndpoint[];
  close(): Promise<void>;
}

export async function serveMetersOverRtu(
  grid: DemoMicrogrid,
  options: DemoRtuOptions,
): Promise<DemoRtu> {
  const server = new ModbusRtuServer();
  // The SunSpec household meters; a meter with its own profile stays on its TCP port.
  const meters = grid.endpoints.filter(
    (e) => e.role === 'household-meter' && grid.devices.has(e.deviceId),
  );
  const framing = options.framing ?? DEFAULT_SERIAL_FRAMING;
  meters.forEach((meter, i) => {
    const sim = grid.devices.get(meter.deviceId);
    if (sim) server.setUnit(i + 1, sunspecUnitHandler(sim.image));
  });
  const endpoints: DemoEndpoint[] = [];
  try {
    if (options.serialPath) {
      await server.openSerial(options.serialPath, framing);
      const query = `baud=${framing.baudRate}&parity=${framing.parity}&stop=${framing.stopBits}&data=${framing.dataBits}`;
      meters.forEach((m, i) =>
        endpoints.push({ ...m, url: `modbus-rtu://${options.serialPath}?${query}&unit=${i + 1}` }),
      );
    }
    if (options.overTcpPort !== undefined) {
      const host = options.host ?? '127.0.0.1';
      const port = await server.listen({ host, port: options.overTcpPort });
      meters.forEach((m, i) =>
        endpoints.push({ ...m, url: `modbus-rtuovertcp://${host}:${port}?unit=${i + 1}` }),
      );
    }
  } catch (error) {
    await server.close();
    throw error;
  }
  return { endpoints, close: () => server.close() };
}
