// Reads a few registers at a time on behalf of the model-chain walk, but asks the device
// for a whole block (up to 125 registers) so that the next model headers usually arrive
// with the first reply. A block the device refuses as a whole (illegal address: it
// touches a register the device does not have) is retried at half its size, then as just
// the registers needed; later reads inside a refused span stay small (Victron's
// dbus-modbus-client likewise never reads across addresses a device rejected).
import { fail, ok } from '../../core/result';
import {
  MAX_READ_REGISTERS,
  type ModbusError,
  type ModbusResult,
  type RegisterReader,
} from '../modbus/unit-client';

const ADDRESS_SPACE = 0x10000;

/** The device says the registers do not exist (02), or that the quantity is bad (03). */
export function isAddressRefusal(error: ModbusError): boolean {
  return error.code === 'illegal_address' || error.code === 'illegal_value';
}

/** The link itself is gone: probing further would only repeat the failure. */
export function isLinkDown(error: ModbusError): boolean {
  return error.code === 'disconnected' || error.code === 'closed';
}

export class BlockReader {
  private cacheAddress = 0;
  private cache: Uint16Array = new Uint16Array(0);
  private refusedUntil = -1;

  constructor(
    private readonly reader: RegisterReader,
    private readonly blockRegs: number = MAX_READ_REGISTERS,
  ) {}

  async read(address: number, count: number): Promise<ModbusResult<Uint16Array>> {
    const from = address - this.cacheAddress;
    if (from >= 0 && from + count <= this.cache.length)
      return ok(this.cache.subarray(from, from + count));
    const wanted = Math.min(
      Math.max(count, this.blockRegs),
      MAX_READ_REGISTERS,
      ADDRESS_SPACE - address,
    );
    const span = address < this.refusedUntil ? count : Math.max(count, wanted);
    let reply = await this.reader.readHoldingRegisters(address, span);
    // Typically the block ran past the end of the map: half of it often still holds the
    // last few headers. One halving only, so a device refusing everything costs 3 reads.
    let tried = span;
    for (const retry of [Math.ceil(span / 2), count]) {
      if (reply.ok || !isAddressRefusal(reply.error)) break;
      if (retry >= tried || retry < count) continue;
      this.refusedUntil = Math.max(this.refusedUntil, address + tried);
      reply = await this.reader.readHoldingRegisters(address, retry);
      tried = retry;
    }
    if (!reply.ok) return reply;
    if (reply.value.length < count) {
      return fail({
        code: 'bad_reply',
        message: `asked for ${count} registers at ${address}, got ${reply.value.length}`,
      });
    }
    this.cacheAddress = address;
    this.cache = reply.value;
    return ok(reply.value.subarray(0, count));
  }
}
