// A Modbus RTU slave simulator for tests and `microgrid simulate`: the same ModbusUnitHandler
// units as the TCP server, on a serial port (in tests one end of a socat pty pair) and on TCP
// as RTU-over-TCP (each connection is its own bus, like a transparent RS-485 gateway). Several
// unit ids share a bus; faults are set per unit (see modbus-rtu-faults.ts).
import { createServer, type Server, type Socket } from 'node:net';
import type { SerialPort } from 'serialport';
import { silentIntervalMs, type SerialFraming } from '../modbus/rtu-timing';
import { RtuBus, type RtuBusStats, type RtuBusUnits } from './modbus-rtu-bus';
import type { ModbusRtuFault } from './modbus-rtu-faults';
import type { ModbusUnitHandler } from './modbus-unit-handler';
import { listenTcp } from './tcp-listen';

export type { ModbusRtuFault } from './modbus-rtu-faults';
export type { RtuBusStats } from './modbus-rtu-bus';

export const DEFAULT_SERIAL_FRAMING: SerialFraming = {
  baudRate: 9600,
  parity: 'even',
  stopBits: 1,
  dataBits: 8,
};

/**
 * Timers and ptys cannot show a real t3.5 (4 ms at 9600 baud), and masters write whole frames
 * at once, so the silence that ends a frame of unknown length is generous.
 */
const MIN_FRAME_GAP_MS = 20;

export class ModbusRtuServer {
  private readonly units = new Map<number, ModbusUnitHandler>();
  private readonly faults = new Map<number, ModbusRtuFault>();
  private readonly buses = new Set<RtuBus>();
  private readonly history: RtuBusStats[] = [];
  private readonly view: RtuBusUnits = {
    unit: (unitId) => this.units.get(unitId),
    all: () => this.units.values(),
    fault: (unitId) => this.faults.get(unitId),
  };
  private server: Server | null = null;
  private boundPort = 0;
  private nextBusId = 1;

  setUnit(unitId: number, handler: ModbusUnitHandler): this {
    if (!Number.isInteger(unitId) || unitId < 1 || unitId > 247)
      throw new RangeError(`RTU unit id ${unitId} is not 1–247`);
    this.units.set(unitId, handler);
    return this;
  }

  removeUnit(unitId: number): void {
    this.units.delete(unitId);
  }

  /** Applies to requests that arrive from now on; `null` clears the fault. */
  setFault(unitId: number, fault: ModbusRtuFault | null): void {
    if (fault) this.faults.set(unitId, fault);
    else this.faults.delete(unitId);
  }

  /** Every bus since the server was made, oldest first. */
  busStats(): RtuBusStats[] {
    return this.history.map((stats) => ({ ...stats }));
  }

  /** Highest `maxOutstanding` over every bus so far. */
  get maxOutstanding(): number {
    return this.history.reduce((max, stats) => Math.max(max, stats.maxOutstanding), 0);
  }

  /** TCP port of the RTU-over-TCP listener (0 before listen()). */
  get port(): number {
    return this.boundPort;
  }

  /** Serves the units on a serial port; rejects with the reason if it cannot be opened. */
  async openSerial(path: string, framing: SerialFraming = DEFAULT_SERIAL_FRAMING): Promise<void> {
    const { SerialPort: SerialPortClass } = await import('serialport');
    const port: SerialPort = new SerialPortClass({ path, ...framing, autoOpen: false });
    await new Promise<void>((resolve, reject) =>
      port.open((error) => (error ? reject(error) : resolve())),
    );
    const end = (): void => {
      if (port.isOpen) port.close();
    };
    this.attach(port, `serial ${path}`, {
      frameGapMs: Math.max(MIN_FRAME_GAP_MS, silentIntervalMs(framing)),
      end,
    });
    port.once('close', end);
  }

  /** Serves the units as RTU over TCP; resolves with the bound port. */
  async listen(options: { host?: string; port?: number } = {}): Promise<number> {
    if (this.server) throw new Error('ModbusRtuServer is already listening');
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    try {
      this.boundPort = await listenTcp(server, options);
    } catch (error) {
      this.server = null;
      throw error;
    }
    return this.boundPort;
  }

  /** Closes every bus and the listener; safe to call twice. */
  async close(): Promise<void> {
    for (const bus of this.buses) bus.close();
    this.buses.clear();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    this.attach(socket, `tcp ${socket.remoteAddress}:${socket.remotePort}`, {
      frameGapMs: MIN_FRAME_GAP_MS,
      end: () => void socket.destroy(),
    });
  }

  private attach(
    stream: SerialPort | Socket,
    peer: string,
    timing: { frameGapMs: number; end: () => void },
  ): void {
    const bus = new RtuBus(stream, this.view, { id: this.nextBusId++, peer, ...timing });
    this.buses.add(bus);
    this.history.push(bus.stats);
    stream.once('close', () => this.buses.delete(bus));
  }
}
