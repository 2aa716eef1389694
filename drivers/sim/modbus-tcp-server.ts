// A Modbus TCP server (slave) on node:net for simulators and tests. Written directly on the
// socket rather than on modbus-serial's ServerTCP so that we own the framing (partial and
// coalesced frames, malformed headers) and can inject the faults real devices and gateways
// show: silence, slowness, exceptions, dropped connections and wrong transaction ids.
//
// Requests on one connection are handled independently (a delayed reply does not hold back
// the next request), like a gateway that pipelines. That is what makes the per-connection
// `maxOutstanding` counter meaningful: it only stays at 1 if the client waits for each reply.
import { createServer, type Server, type Socket } from 'node:net';
import { encodeMbap, MbapDecoder, type MbapFrame } from './modbus-mbap';
import { answerPdu, exceptionPdu } from './modbus-pdu';
import { GATEWAY_TARGET_FAILED, type ModbusUnitHandler } from './modbus-unit-handler';
import { listenTcp } from './tcp-listen';

export type ModbusFault =
  /** Swallow the request, like a unit that is off or a gateway with nothing behind it. */
  | { kind: 'no-reply' }
  /** Answer correctly, but only after `delayMs`. */
  | { kind: 'delay'; delayMs: number }
  /** Answer every request with this exception code. */
  | { kind: 'exception'; exceptionCode: number }
  /** Close the TCP connection when a request for this unit arrives. */
  | { kind: 'drop-connection' }
  /** Answer correctly but with transaction id + 1 (the id the client will use next), optionally late. */
  | { kind: 'wrong-transaction-id'; delayMs?: number }
  /** Answer register reads (FC3/FC4) with one register fewer than asked, consistently framed. */
  | { kind: 'short-reply' };

export interface ModbusTcpServerOptions {
  /**
   * A request for a unit id with no handler: 'ignore' stays silent (a gateway whose serial
   * side has nothing there), 'gateway-exception' answers exception 0B.
   */
  unknownUnit?: 'ignore' | 'gateway-exception';
}

export interface ConnectionStats {
  id: number;
  remotePort: number;
  requests: number;
  /** Most requests received on this connection and not yet answered, at any one time. */
  maxOutstanding: number;
  open: boolean;
  /** Why the server closed it, if it did (e.g. a malformed header). */
  closeReason?: string;
}

interface Connection {
  socket: Socket;
  decoder: MbapDecoder;
  stats: ConnectionStats;
  outstanding: number;
  timers: Set<NodeJS.Timeout>;
}

export class ModbusTcpServer {
  private readonly units = new Map<number, ModbusUnitHandler>();
  private readonly faults = new Map<number, ModbusFault>();
  private readonly connections = new Set<Connection>();
  private readonly history: ConnectionStats[] = [];
  private readonly unknownUnit: 'ignore' | 'gateway-exception';
  private server: Server | null = null;
  private nextConnectionId = 1;
  private boundPort = 0;

  constructor(options: ModbusTcpServerOptions = {}) {
    this.unknownUnit = options.unknownUnit ?? 'ignore';
  }

  setUnit(unitId: number, handler: ModbusUnitHandler): this {
    this.units.set(unitId, handler);
    return this;
  }

  removeUnit(unitId: number): void {
    this.units.delete(unitId);
  }

  /** Applies to requests that arrive from now on; `null` clears the fault. */
  setFault(unitId: number, fault: ModbusFault | null): void {
    if (fault) this.faults.set(unitId, fault);
    else this.faults.delete(unitId);
  }

  get port(): number {
    return this.boundPort;
  }

  /** Every connection since listen(), oldest first. */
  connectionStats(): ConnectionStats[] {
    return this.history.map((s) => ({ ...s }));
  }

  /** Highest `maxOutstanding` over every connection so far. */
  get maxOutstanding(): number {
    return this.history.reduce((max, s) => Math.max(max, s.maxOutstanding), 0);
  }

  async listen(options: { host?: string; port?: number } = {}): Promise<number> {
    if (this.server) throw new Error('ModbusTcpServer is already listening');
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

  /** Stops listening and destroys every connection; safe to call twice. */
  close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const connection of this.connections) this.drop(connection, 'server closed');
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const stats: ConnectionStats = {
      id: this.nextConnectionId++,
      remotePort: socket.remotePort ?? 0,
      requests: 0,
      maxOutstanding: 0,
      open: true,
    };
    const connection: Connection = {
      socket,
      decoder: new MbapDecoder(),
      stats,
      outstanding: 0,
      timers: new Set(),
    };
    this.connections.add(connection);
    this.history.push(stats);
    socket.on('data', (chunk: Buffer) => {
      const { frames, error } = connection.decoder.push(chunk);
      for (const frame of frames) this.handle(connection, frame);
      if (error) this.drop(connection, error);
    });
    // Errors (e.g. ECONNRESET from a client that vanished) only end this connection.
    socket.on('error', () => undefined);
    socket.on('close', () => this.forget(connection));
  }

  private handle(connection: Connection, frame: MbapFrame): void {
    if (!connection.stats.open) return;
    connection.stats.requests++;
    const handler = this.units.get(frame.unitId);
    const fault = this.faults.get(frame.unitId);
    const functionCode = frame.pdu.readUInt8(0);

    if (fault?.kind === 'drop-connection')
      return this.drop(connection, `fault: drop on unit ${frame.unitId}`);
    // Requests that will never be answered stop counting as outstanding at once, so the
    // counter measures what the client sends while it still waits for a reply.
    if (fault?.kind === 'no-reply') return;
    let pdu: Buffer;
    if (!handler) {
      if (this.unknownUnit === 'ignore') return;
      pdu = exceptionPdu(functionCode, GATEWAY_TARGET_FAILED);
    } else if (fault?.kind === 'exception') {
      pdu = exceptionPdu(functionCode, fault.exceptionCode);
    } else {
      pdu = answerPdu(handler, frame.pdu);
      if (fault?.kind === 'short-reply') pdu = dropLastRegister(pdu);
    }

    const transactionId =
      fault?.kind === 'wrong-transaction-id' ? frame.transactionId + 1 : frame.transactionId;
    const reply = encodeMbap(transactionId, frame.unitId, pdu);
    const delayMs =
      fault?.kind === 'delay' || fault?.kind === 'wrong-transaction-id' ? (fault.delayMs ?? 0) : 0;
    connection.outstanding++;
    connection.stats.maxOutstanding = Math.max(
      connection.stats.maxOutstanding,
      connection.outstanding,
    );
    if (delayMs <= 0) return this.send(connection, reply);
    const timer = setTimeout(() => {
      connection.timers.delete(timer);
      this.send(connection, reply);
    }, delayMs);
    connection.timers.add(timer);
  }

  private send(connection: Connection, reply: Buffer): void {
    connection.outstanding--;
    if (connection.stats.open && !connection.socket.destroyed) connection.socket.write(reply);
  }

  private drop(connection: Connection, reason: string): void {
    connection.stats.closeReason ??= reason;
    connection.socket.destroy();
    this.forget(connection);
  }

  private forget(connection: Connection): void {
    connection.stats.open = false;
    for (const timer of connection.timers) clearTimeout(timer);
    connection.timers.clear();
    this.connections.delete(connection);
  }
}

function dropLastRegister(pdu: Buffer): Buffer {
  const functionCode = pdu.readUInt8(0);
  if ((functionCode !== 3 && functionCode !== 4) || pdu.length < 4) return pdu;
  const short = Buffer.from(pdu.subarray(0, pdu.length - 2));
  short.writeUInt8(short.length - 2, 1);
  return short;
}
