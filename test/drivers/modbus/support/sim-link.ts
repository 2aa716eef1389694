// A simulator on a loopback ephemeral port and a link to it, torn down after each test.
import { RegisterBankUnit } from '../../../../drivers/sim/modbus-register-bank';
import {
  ModbusTcpServer,
  type ModbusTcpServerOptions,
} from '../../../../drivers/sim/modbus-tcp-server';
import type { LinkOptions } from '../../../../drivers/modbus/link-options';
import { ModbusLink } from '../../../../drivers/modbus/modbus-link';
import { tcpConnector } from '../../../../drivers/modbus/tcp-connector';

export interface SimLink {
  server: ModbusTcpServer;
  port: number;
  link: ModbusLink;
  banks: Map<number, RegisterBankUnit>;
}

const opened: SimLink[] = [];

/** Units 1–3: holding register n = unitId × 1000 + n, input register n = unitId × 1000 + 500 + n (n < 200). */
export async function simLink(
  options: Partial<LinkOptions> = {},
  serverOptions: ModbusTcpServerOptions = {},
): Promise<SimLink> {
  const server = new ModbusTcpServer(serverOptions);
  const banks = new Map<number, RegisterBankUnit>();
  for (const unitId of [1, 2, 3]) {
    const bank = new RegisterBankUnit({
      holding: Array.from({ length: 200 }, (_, i) => unitId * 1000 + i),
      input: Array.from({ length: 200 }, (_, i) => unitId * 1000 + 500 + i),
    });
    banks.set(unitId, bank);
    server.setUnit(unitId, bank);
  }
  const port = await server.listen();
  const link = new ModbusLink(tcpConnector('127.0.0.1', port), { timeoutMs: 300, ...options });
  const sim = { server, port, link, banks };
  opened.push(sim);
  return sim;
}

export async function closeSimLinks(): Promise<void> {
  await Promise.all(
    opened.splice(0).map(async (sim) => Promise.all([sim.link.close(), sim.server.close()])),
  );
}

export const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** Words `unitId × 1000 + address` for `count` registers, as simLink fills them. */
export function expectedWords(unitId: number, address: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => unitId * 1000 + address + i);
}
