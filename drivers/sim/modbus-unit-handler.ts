// What a simulated Modbus unit (slave) must answer. The TCP server decodes frames, checks
// quantity limits and addresses against the 16-bit space, then calls one of these with
// 0-based wire addresses. A missing method means the device lacks that function
// (exception 01); an error value is sent back as the exception code it carries.
import type { Result } from '../../core/result';

export interface UnitException {
  /** Modbus exception code, e.g. 2 = illegal data address. */
  exceptionCode: number;
}

export type HandlerResult<T> = Result<T, UnitException>;

export interface ModbusUnitHandler {
  /** FC3. Must return exactly `count` words. */
  readHoldingRegisters?(address: number, count: number): HandlerResult<ArrayLike<number>>;
  /** FC4. Must return exactly `count` words. */
  readInputRegisters?(address: number, count: number): HandlerResult<ArrayLike<number>>;
  /** FC6 (one value) and FC16. */
  writeRegisters?(address: number, values: readonly number[]): HandlerResult<void>;
  /** FC1. Must return exactly `count` states. */
  readCoils?(address: number, count: number): HandlerResult<readonly boolean[]>;
  /** FC2. Must return exactly `count` states. */
  readDiscreteInputs?(address: number, count: number): HandlerResult<readonly boolean[]>;
  /** FC5 (one value) and FC15. */
  writeCoils?(address: number, values: readonly boolean[]): HandlerResult<void>;
}

export const ILLEGAL_FUNCTION = 1;
export const ILLEGAL_ADDRESS = 2;
export const ILLEGAL_VALUE = 3;
export const DEVICE_FAILURE = 4;
export const GATEWAY_TARGET_FAILED = 0x0b;
