// singleConnection over real loopback Modbus TCP: a device that takes one client gets one
// connection for all its units, and a slower reconnect pace once the quirk is known.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeviceUrl } from '../../../core/site/device-url';
import { LinkPool } from '../../../drivers/modbus/link-pool';
import { ModbusLink } from '../../../drivers/modbus/modbus-link';
import { tcpConnector } from '../../../drivers/modbus/tcp-connector';
import { sunspecUnitHandler } from '../../../drivers/sim/demo-microgrid/sunspec-unit-handler';
import { ModbusTcpServer } from '../../../drivers/sim/modbus-tcp-server';
import { buildSunspecImage } from '../../../drivers/sunspec/device-image';
import { discoverSunspec, readIdentity } from '../../../drivers/sunspec/discovery';
import { linkOptionsFor, quirksFor } from '../../../drivers/sunspec/quirks';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((f) => f()));
});

// An inverter that names itself like a SolarEdge one, with a meter behind it at unit 2.
async function singleClientDevice(): Promise<ModbusTcpServer> {
  const server = new ModbusTcpServer();
  const common = (SN: string) => ({
    id: 1,
    values: { points: { Mn: 'SolarEdge ', Md: 'SE5K', SN } },
  });
  server.setUnit(1, sunspecUnitHandler(buildSunspecImage({ models: [common('A1'), { id: 103 }] })));
  server.setUnit(2, sunspecUnitHandler(buildSunspecImage({ models: [common('M1'), { id: 203 }] })));
  await server.listen();
  cleanup.push(() => server.close());
  return server;
}

describe('singleConnection', () => {
  it('is honoured by the pool: every unit of the device shares one TCP connection', async () => {
    const server = await singleClientDevice();
    const pool = new LinkPool({ timeoutMs: 500 });
    cleanup.push(() => pool.closeAll());
    const unit = (id: number) => {
      const endpoint = parseDeviceUrl(`modbus-tcp://127.0.0.1:${server.port}?unit=${id}`);
      if (!endpoint.ok) throw new Error(endpoint.error.message);
      const found = pool.unit(endpoint.value);
      if (!found.ok) throw new Error(found.error.message);
      return found.value;
    };
    const [inverter, meter] = await Promise.all([
      discoverSunspec(unit(1)),
      discoverSunspec(unit(2)),
    ]);
    if (!inverter.ok || !meter.ok) throw new Error('discovery failed');
    const identity = await readIdentity(unit(1), inverter.value);
    expect(identity.ok && quirksFor(identity.value).singleConnection).toBe(true);
    expect(server.connectionStats()).toHaveLength(1);
    expect(server.maxOutstanding).toBe(1);
  });

  it('slows reconnects: the first retry waits at least 2 s', async () => {
    // A port that refuses connections: find a free one and close it again.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const options = linkOptionsFor({ singleConnection: true }, { timeoutMs: 100 });
    const link = new ModbusLink(tcpConnector('127.0.0.1', port), options);
    cleanup.push(() => link.close());
    const started = Date.now();
    const result = await link.unit(1).readHoldingRegisters(40000, 2);
    expect(result).toMatchObject({ ok: false, error: { code: 'disconnected' } });
    expect(link.status().nextAttemptMs! - started).toBeGreaterThanOrEqual(2000);
  });
});
