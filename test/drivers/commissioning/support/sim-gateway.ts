// A loopback Modbus TCP server in front of SunSpec images (the demo's own, or images built
// for a test) that counts what reaches it: requests per connection from the server itself,
// and register writes through the unit handlers, so a test can prove a refusal sent nothing.
import {
  ModbusTcpServer,
  type ModbusTcpServerOptions,
} from '../../../../drivers/sim/modbus-tcp-server';
import { sunspecUnitHandler } from '../../../../drivers/sim/demo-microgrid/sunspec-unit-handler';
import type { ModbusUnitHandler } from '../../../../drivers/sim/modbus-unit-handler';
import type { SunspecImage } from '../../../../drivers/sunspec/device-image';

export interface SimGateway {
  readonly server: ModbusTcpServer;
  readonly port: number;
  /** `modbus-tcp://127.0.0.1:PORT?unit=N` */
  url(unitId?: number): string;
  /** Requests of every kind that reached the server, over all connections. */
  requests(): number;
  /** Register writes (FC6/FC16) that reached a unit. */
  readonly writes: { unitId: number; address: number; values: readonly number[] }[];
  close(): Promise<void>;
}

export async function startSimGateway(
  units: Readonly<Record<number, SunspecImage | ModbusUnitHandler>>,
  options: ModbusTcpServerOptions = {},
): Promise<SimGateway> {
  const server = new ModbusTcpServer(options);
  const writes: SimGateway['writes'] = [];
  for (const [id, unit] of Object.entries(units)) {
    const unitId = Number(id);
    const handler = 'words' in unit ? sunspecUnitHandler(unit) : unit;
    // Bound, not spread: a class-based handler keeps its methods on the prototype.
    server.setUnit(unitId, {
      readHoldingRegisters: handler.readHoldingRegisters?.bind(handler),
      readInputRegisters: handler.readInputRegisters?.bind(handler),
      writeRegisters(address, values) {
        writes.push({ unitId, address, values });
        return handler.writeRegisters
          ? handler.writeRegisters(address, values)
          : { ok: false, error: { exceptionCode: 1 } };
      },
    });
  }
  const port = await server.listen();
  return {
    server,
    port,
    url: (unitId = 1) => `modbus-tcp://127.0.0.1:${port}?unit=${unitId}`,
    requests: () => server.connectionStats().reduce((sum, c) => sum + c.requests, 0),
    writes,
    close: () => server.close(),
  };
}
