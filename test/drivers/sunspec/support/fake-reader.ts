// An in-memory RegisterReader over a simulated SunSpec image, with the faults real
// devices show: refused or silent base addresses, maps that wrap round, dead links.
import type {
  ModbusError,
  ModbusErrorCode,
  ModbusResult,
  RegisterReader,
} from '../../../../drivers/modbus/unit-client';
import type { SunspecImage } from '../../../../drivers/sunspec/device-image';

export interface Fault {
  /** Reads touching any register in from..to-1 fail with `code`. */
  readonly from: number;
  readonly to: number;
  readonly code: ModbusErrorCode;
}

export interface FakeReaderOptions {
  readonly faults?: readonly Fault[];
  /** Addresses past the image wrap round to its start, like a device ignoring high address bits. */
  readonly wrap?: boolean;
}

export interface FakeReader extends RegisterReader {
  /** Every request in order, failed ones included. */
  readonly requests: { address: number; count: number }[];
}

const error = (code: ModbusErrorCode, message: string): ModbusError => ({ code, message });

export function fakeReader(
  image: SunspecImage | null,
  options: FakeReaderOptions = {},
): FakeReader {
  const requests: { address: number; count: number }[] = [];
  return {
    requests,
    async readHoldingRegisters(address: number, count: number): Promise<ModbusResult<Uint16Array>> {
      requests.push({ address, count });
      const fault = options.faults?.find((f) => address < f.to && address + count > f.from);
      if (fault)
        return { ok: false, error: error(fault.code, `injected ${fault.code} at ${address}`) };
      if (!image) return { ok: false, error: error('illegal_address', 'no registers at all') };
      if (options.wrap && address >= image.baseAddress) {
        const size = image.words.length;
        const words = Uint16Array.from(
          { length: count },
          (_, i) => image.words[(address - image.baseAddress + i) % size]!,
        );
        return { ok: true, value: words };
      }
      return image.readRegisters(address, count);
    },
  };
}
