// A unit whose requests settle at once when the caller's AbortSignal fires (Ctrl+C in the
// CLI, "Cancel" in the UI), instead of after the request's timeout. The request itself
// stays in the link's queue and settles there later; only the caller stops waiting.
// Aborted requests answer 'closed', which SunSpec discovery already treats as "stop".
import { fail } from '../../core/result';
import type { ModbusResult, UnitClient } from '../modbus/unit-client';
import { ABORTED_MESSAGE } from './commissioning-error';

export class AbortableUnit implements UnitClient {
  readonly unitId: number;
  readonly endpoint: string;

  constructor(
    private readonly unit: UnitClient,
    private readonly signal: AbortSignal,
  ) {
    this.unitId = unit.unitId;
    this.endpoint = unit.endpoint;
  }

  readHoldingRegisters(address: number, count: number): Promise<ModbusResult<Uint16Array>> {
    return this.race(() => this.unit.readHoldingRegisters(address, count));
  }

  readInputRegisters(address: number, count: number): Promise<ModbusResult<Uint16Array>> {
    return this.race(() => this.unit.readInputRegisters(address, count));
  }

  writeRegisters(address: number, values: readonly number[]): Promise<ModbusResult<void>> {
    return this.race(() => this.unit.writeRegisters(address, values));
  }

  private race<T>(send: () => Promise<ModbusResult<T>>): Promise<ModbusResult<T>> {
    const aborted = (): ModbusResult<T> => fail({ code: 'closed', message: ABORTED_MESSAGE });
    if (this.signal.aborted) return Promise.resolve(aborted());
    return new Promise((resolve) => {
      const onAbort = (): void => resolve(aborted());
      this.signal.addEventListener('abort', onAbort, { once: true });
      void send().then((result) => {
        this.signal.removeEventListener('abort', onAbort);
        resolve(result);
      });
    });
  }
}
