// The seam between a link (queue, timing, health) and the medium under it. A connector opens
// one connection: a modbus-serial client bound to a stream we can watch and destroy. TCP is
// here; RTU over a serial port and RTU framing over TCP plug in as further connectors.
import type ModbusRTU from 'modbus-serial';
import type { Result } from '../../core/result';
import type { ModbusError } from './unit-client';

export interface ModbusConnection {
  /** A modbus-serial client used for this connection only (its transaction table dies with it). */
  readonly client: ModbusRTU;
  /** Resolves once, with a reason, when the underlying stream has ended for any reason. */
  readonly closed: Promise<string>;
  /** Ends the stream now; idempotent. */
  destroy(): void;
}

export interface ModbusConnector {
  /** e.g. `modbus-tcp://192.168.1.20:502` */
  readonly endpoint: string;
  /**
   * Whether a reply can still arrive after we gave up on it. True for TCP, where the stream
   * keeps it and only a new connection guarantees it is never read as a later reply.
   */
  readonly reopenAfterTimeout: boolean;
  /** Opens a connection, or fails with 'disconnected' within `timeoutMs` or once `signal` aborts. */
  connect(timeoutMs: number, signal: AbortSignal): Promise<Result<ModbusConnection, ModbusError>>;
}
