// A plain memory-backed unit for tests and simple simulators: four tables, each sized at
// construction. Anything outside a table is exception 02, like a device that implements
// only the registers its manual lists.
import { ok } from '../../core/result';
import { ILLEGAL_ADDRESS, type HandlerResult, type ModbusUnitHandler } from './modbus-unit-handler';

export interface RegisterBankSizes {
  /** Holding registers: a size (zero-filled) or initial contents. */
  holding?: number | Uint16Array | readonly number[];
  input?: number | Uint16Array | readonly number[];
  coils?: number;
  discreteInputs?: number;
}

const illegalAddress = { ok: false as const, error: { exceptionCode: ILLEGAL_ADDRESS } };

export class RegisterBankUnit implements ModbusUnitHandler {
  readonly holding: Uint16Array;
  readonly input: Uint16Array;
  readonly coils: boolean[];
  readonly discreteInputs: boolean[];

  constructor(sizes: RegisterBankSizes = {}) {
    this.holding = toWords(sizes.holding ?? 100);
    this.input = toWords(sizes.input ?? 100);
    this.coils = new Array<boolean>(sizes.coils ?? 100).fill(false);
    this.discreteInputs = new Array<boolean>(sizes.discreteInputs ?? 100).fill(false);
  }

  readHoldingRegisters(address: number, count: number): HandlerResult<Uint16Array> {
    return inRange(this.holding.length, address, count)
      ? ok(this.holding.slice(address, address + count))
      : illegalAddress;
  }

  readInputRegisters(address: number, count: number): HandlerResult<Uint16Array> {
    return inRange(this.input.length, address, count)
      ? ok(this.input.slice(address, address + count))
      : illegalAddress;
  }

  writeRegisters(address: number, values: readonly number[]): HandlerResult<void> {
    if (!inRange(this.holding.length, address, values.length)) return illegalAddress;
    this.holding.set(values, address);
    return ok(undefined);
  }

  readCoils(address: number, count: number): HandlerResult<boolean[]> {
    return inRange(this.coils.length, address, count)
      ? ok(this.coils.slice(address, address + count))
      : illegalAddress;
  }

  readDiscreteInputs(address: number, count: number): HandlerResult<boolean[]> {
    if (!inRange(this.discreteInputs.length, address, count)) return illegalAddress;
    return ok(this.discreteInputs.slice(address, address + count));
  }

  writeCoils(address: number, values: readonly boolean[]): HandlerResult<void> {
    if (!inRange(this.coils.length, address, values.length)) return illegalAddress;
    values.forEach((value, i) => (this.coils[address + i] = value));
    return ok(undefined);
  }
}

function toWords(init: number | Uint16Array | readonly number[]): Uint16Array {
  return typeof init === 'number' ? new Uint16Array(init) : Uint16Array.from(init);
}

function inRange(size: number, address: number, count: number): boolean {
  return address >= 0 && count >= 0 && address + count <= size;
}
