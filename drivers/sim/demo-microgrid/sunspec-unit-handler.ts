// Serves a SunSpec register image as a Modbus unit: holding registers only, as SunSpec
// devices do; reads outside the image answer exception 02 like a real device.
import type { SunspecImage } from '../../sunspec/device-image';
import {
  ILLEGAL_ADDRESS,
  type HandlerResult,
  type ModbusUnitHandler,
} from '../modbus-unit-handler';

export function sunspecUnitHandler(image: SunspecImage): ModbusUnitHandler {
  return {
    readHoldingRegisters(address, count): HandlerResult<Uint16Array> {
      const read = image.readRegisters(address, count);
      return read.ok
        ? read
        : { ok: false, error: { exceptionCode: read.error.exceptionCode ?? ILLEGAL_ADDRESS } };
    },
    writeRegisters(address, values): HandlerResult<void> {
      const written = image.writeRegisters(address, values);
      return written.ok
        ? written
        : { ok: false, error: { exceptionCode: written.error.exceptionCode ?? ILLEGAL_ADDRESS } };
    },
  };
}
