// What the rest of the drivers see of Modbus: one unit (slave id) behind one link. The
// link (modbus-link.ts) serialises requests per physical connection; a UnitClient only
// adds its unit id. Addresses are 0-based wire addresses (40001 in a manual = 0 here;
// SunSpec's own 40000 is already 0-based).
import type { Result } from '../../core/result';

export type ModbusErrorCode =
  | 'timeout'
  | 'illegal_function' // exception 01
  | 'illegal_address' // exception 02
  | 'illegal_value' // exception 03
  | 'device_failure' // exception 04
  | 'busy' // exception 06
  | 'gateway_path' // exception 0A
  | 'gateway_target' // exception 0B
  | 'exception' // any other exception code
  | 'disconnected' // link down or dropped while the request was pending
  | 'closed' // link closed by the station
  | 'bad_reply'; // malformed or mismatched reply

export interface ModbusError {
  code: ModbusErrorCode;
  message: string;
  /** Modbus exception code when the device answered with one. */
  exceptionCode?: number;
}

export type ModbusResult<T> = Result<T, ModbusError>;

export interface UnitClient {
  readonly unitId: number;
  /** Human-readable endpoint, e.g. `modbus-tcp://127.0.0.1:1502?unit=3`. */
  readonly endpoint: string;
  readHoldingRegisters(address: number, count: number): Promise<ModbusResult<Uint16Array>>;
  readInputRegisters(address: number, count: number): Promise<ModbusResult<Uint16Array>>;
  writeRegisters(address: number, values: readonly number[]): Promise<ModbusResult<void>>;
}

/** Reads holding registers: all SunSpec discovery and decoding needs. */
export type RegisterReader = Pick<UnitClient, 'readHoldingRegisters'>;

export const MAX_READ_REGISTERS = 125;
export const MAX_WRITE_REGISTERS = 123;

const EXCEPTION_CODES: Record<number, ModbusErrorCode> = {
  1: 'illegal_function',
  2: 'illegal_address',
  3: 'illegal_value',
  4: 'device_failure',
  6: 'busy',
  10: 'gateway_path',
  11: 'gateway_target',
};

export function exceptionError(exceptionCode: number): ModbusError {
  const code = EXCEPTION_CODES[exceptionCode] ?? 'exception';
  return {
    code,
    exceptionCode,
    message: `Modbus exception ${exceptionCode} (${code.replace('_', ' ')})`,
  };
}
