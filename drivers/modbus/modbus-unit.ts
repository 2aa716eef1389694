// One unit id behind a link: the UnitClient the rest of the drivers use, plus the other
// standard function codes and the unit's health. It holds no state of its own, so making
// one per caller is cheap; requests and health live in the link.
import type { RequestOptions } from './link-options';
import type { ModbusLink } from './modbus-link';
import type { UnitHealth } from './unit-health';
import type { ModbusResult, UnitClient } from './unit-client';

export class ModbusUnit implements UnitClient {
  readonly endpoint: string;

  constructor(
    private readonly link: ModbusLink,
    readonly unitId: number,
    private readonly options: RequestOptions = {},
  ) {
    this.endpoint = `${link.endpoint}?unit=${unitId}`;
  }

  /** FC3. */
  readHoldingRegisters(address: number, count: number): Promise<ModbusResult<Uint16Array>> {
    return this.link.request(this.unitId, { fc: 3, address, count }, this.options);
  }

  /** FC4. */
  readInputRegisters(address: number, count: number): Promise<ModbusResult<Uint16Array>> {
    return this.link.request(this.unitId, { fc: 4, address, count }, this.options);
  }

  /** FC16, also for a single register: SunSpec devices must accept it. */
  writeRegisters(address: number, values: readonly number[]): Promise<ModbusResult<void>> {
    return this.link.request(this.unitId, { fc: 16, address, values }, this.options);
  }

  /** FC6, for devices that reject FC16 for one register. */
  writeRegister(address: number, value: number): Promise<ModbusResult<void>> {
    return this.link.request(this.unitId, { fc: 6, address, value }, this.options);
  }

  /** FC1. */
  readCoils(address: number, count: number): Promise<ModbusResult<boolean[]>> {
    return this.link.request(this.unitId, { fc: 1, address, count }, this.options);
  }

  /** FC2. */
  readDiscreteInputs(address: number, count: number): Promise<ModbusResult<boolean[]>> {
    return this.link.request(this.unitId, { fc: 2, address, count }, this.options);
  }

  /** FC5. */
  writeCoil(address: number, value: boolean): Promise<ModbusResult<void>> {
    return this.link.request(this.unitId, { fc: 5, address, value }, this.options);
  }

  /** FC15. */
  writeCoils(address: number, values: readonly boolean[]): Promise<ModbusResult<void>> {
    return this.link.request(this.unitId, { fc: 15, address, values }, this.options);
  }

  health(): UnitHealth {
    return this.link.health(this.unitId);
  }
}
