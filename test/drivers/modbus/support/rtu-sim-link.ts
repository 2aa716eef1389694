// An RTU simulator on one end of a socat pty pair (or on loopback TCP as RTU over TCP) and a
// link to it, torn down after each test. Units 1–3 hold the same registers as simLink's:
// holding register n = unitId × 1000 + n, input register n = unitId × 1000 + 500 + n.
import { afterEach } from 'vitest';
import type { ModbusRtuEndpoint } from '../../../../core/site/device-url';
import type { LinkOptions } from '../../../../drivers/modbus/link-options';
import { ModbusLink } from '../../../../drivers/modbus/modbus-link';
import { rtuConnector, type RtuConnectorOptions } from '../../../../drivers/modbus/rtu-connector';
import { rtuOverTcpConnector } from '../../../../drivers/modbus/rtu-over-tcp-connector';
import { RegisterBankUnit } from '../../../../drivers/sim/modbus-register-bank';
import { ModbusRtuServer } from '../../../../drivers/sim/modbus-rtu-server';
import { usePtyPairs, type PtyPair } from '../../../support/pty';

export interface RtuSim {
  server: ModbusRtuServer;
  link: ModbusLink;
  banks: Map<number, RegisterBankUnit>;
}

export interface SerialRtuSim extends RtuSim {
  pty: PtyPair;
  endpoint: ModbusRtuEndpoint;
}

export function rtuEndpoint(path: string, unitId = 1): ModbusRtuEndpoint {
  return {
    kind: 'modbus-rtu',
    path,
    baudRate: 9600,
    parity: 'even',
    stopBits: 1,
    dataBits: 8,
    unitId,
  };
}

export function simServer(unitIds = [1, 2, 3]): Pick<RtuSim, 'server' | 'banks'> {
  const server = new ModbusRtuServer();
  const banks = new Map<number, RegisterBankUnit>();
  for (const unitId of unitIds) {
    const bank = new RegisterBankUnit({
      holding: Array.from({ length: 200 }, (_, i) => unitId * 1000 + i),
      input: Array.from({ length: 200 }, (_, i) => unitId * 1000 + 500 + i),
    });
    banks.set(unitId, bank);
    server.setUnit(unitId, bank);
  }
  return { server, banks };
}

/** Call at the top level of a test file; returns factories whose sims are closed after each test. */
export function useRtuSims(): {
  serial(options?: Partial<LinkOptions>, connector?: RtuConnectorOptions): Promise<SerialRtuSim>;
  overTcp(options?: Partial<LinkOptions>): Promise<RtuSim & { port: number }>;
  ptyPair: (dir?: string) => Promise<PtyPair>;
} {
  const opened: RtuSim[] = [];
  const ptyPair = usePtyPairs();
  afterEach(async () => {
    await Promise.all(
      opened.splice(0).map((sim) => Promise.all([sim.link.close(), sim.server.close()])),
    );
  });
  return {
    ptyPair,
    serial: async (options = {}, connector = {}) => {
      const pty = await ptyPair();
      const { server, banks } = simServer();
      await server.openSerial(pty.b);
      const endpoint = rtuEndpoint(pty.a);
      const link = new ModbusLink(rtuConnector(endpoint, connector), {
        timeoutMs: 300,
        ...options,
      });
      const sim = { server, banks, link, pty, endpoint };
      opened.push(sim);
      return sim;
    },
    overTcp: async (options = {}) => {
      const { server, banks } = simServer();
      const port = await server.listen();
      const link = new ModbusLink(rtuOverTcpConnector('127.0.0.1', port), {
        timeoutMs: 300,
        ...options,
      });
      const sim = { server, banks, link, port };
      opened.push(sim);
      return sim;
    },
  };
}
