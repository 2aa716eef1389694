// Raw register reads for looking at a device that is not (or not only) SunSpec. Addresses
// are 0-based wire addresses throughout: a manual's "40001" (1-based 4xxxx numbering) is
// address 0 here, while SunSpec's own "40000" is already 0-based. We do not guess which
// numbering a number uses: the two readings of 40000 differ by one register, and
// guessing wrong shows plausible but shifted data.
import { fail, ok, type Result } from '../../core/result';
import { MAX_READ_REGISTERS, type UnitClient } from '../modbus/unit-client';
import {
  commissioningError,
  fromModbusError,
  refOf,
  type CommissioningError,
} from './commissioning-error';

export interface RegisterRequest {
  /** 3 = holding registers, 4 = input registers. */
  fc: 3 | 4;
  address: number;
  count: number;
}

export interface RegisterWord {
  address: number;
  value: number;
  /** e.g. "0x5375" */
  hex: string;
}

const ADDRESS_SPACE = 0x10000;

/** Checks a request against what Modbus allows, before anything is sent. */
export function checkRegisterRequest(
  request: RegisterRequest,
): Result<RegisterRequest, CommissioningError> {
  const bad = (message: string) => fail(commissioningError('bad_request', message));
  if (request.fc !== 3 && request.fc !== 4)
    return bad(`function must be 3 or 4, got ${String(request.fc)}`);
  if (!Number.isInteger(request.address) || request.address < 0 || request.address >= ADDRESS_SPACE)
    return bad(`address must be 0–65535 (0-based), got ${request.address}`);
  if (!Number.isInteger(request.count) || request.count < 1 || request.count > MAX_READ_REGISTERS) {
    return bad(
      `count must be 1–${MAX_READ_REGISTERS} (the most one Modbus read can carry), got ${request.count}`,
    );
  }
  if (request.address + request.count > ADDRESS_SPACE) {
    return bad(
      `${request.count} registers from ${request.address} run past the last address, 65535`,
    );
  }
  return ok(request);
}

export const toHex = (word: number): string =>
  `0x${word.toString(16).toUpperCase().padStart(4, '0')}`;

export async function readRegisterWords(
  unit: UnitClient,
  request: RegisterRequest,
): Promise<Result<RegisterWord[], CommissioningError>> {
  const checked = checkRegisterRequest(request);
  if (!checked.ok) return checked;
  const { fc, address, count } = request;
  const reply =
    fc === 3
      ? await unit.readHoldingRegisters(address, count)
      : await unit.readInputRegisters(address, count);
  if (!reply.ok) {
    const kind = fc === 3 ? 'holding' : 'input';
    const what = `a read of ${count} ${kind} registers at ${address} (FC${fc})`;
    return fail(fromModbusError(reply.error, refOf(unit), what));
  }
  return ok(
    Array.from(reply.value, (value, i) => ({ address: address + i, value, hex: toHex(value) })),
  );
}
