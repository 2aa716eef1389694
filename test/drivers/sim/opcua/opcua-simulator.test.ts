// The simulator as a server: where it listens, its certificate, and restart() on the same
// port with the same certificate and model state (reconnect tests rely on all three).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCertificate } from '../../../../drivers/opcua/certificate-info';
import { connectOpcua } from '../../../../drivers/opcua/connect';
import { readValues } from '../../../../drivers/opcua/read';
import { BATTERY_NODES } from '../../../../drivers/sim/opcua/battery-address-space';
import type { OpcuaSimulator } from '../../../../drivers/sim/opcua/opcua-simulator';
import { SIM_USER, startTestSimulator, trustingDataDir } from '../../../support/opcua';

let sim: OpcuaSimulator;
let dataDir: string;
beforeAll(async () => {
  sim = await startTestSimulator({ stepIntervalMs: 50 });
  dataDir = await trustingDataDir(sim);
});
afterAll(() => sim.stop());

const readSetpoint = async () => {
  const connected = await connectOpcua({
    endpointUrl: sim.endpointUrl,
    dataDir,
    securityMode: 'sign-encrypt',
    identity: SIM_USER,
  });
  if (!connected.ok) throw new Error(connected.error.message);
  try {
    const read = await readValues(connected.value, [sim.nodeId(BATTERY_NODES.powerSetpointW)]);
    return read.ok ? read.value[0]!.value : read.error.code;
  } finally {
    await connected.value.close();
  }
};

describe('startOpcuaSimulator', () => {
  it('listens on loopback with its own certificate', () => {
    expect(sim.endpointUrl).toBe(`opc.tcp://127.0.0.1:${sim.port}`);
    expect(sim.namespaceUri).toBe('urn:microgrid-station:sim:battery-container');
    const info = describeCertificate(sim.serverCertificate);
    expect(info.ok && info.value.applicationUri).toBe(
      'urn:microgrid-station:battery-container-simulator',
    );
  });

  it('steps the model on its interval when asked to', async () => {
    sim.battery.setPowerSetpointW(1000);
    await expect.poll(() => sim.battery.state().activePowerW, { timeout: 3000 }).toBe(1000);
  });

  it('restart() comes back on the same port with the same certificate and state', async () => {
    sim.battery.setPowerSetpointW(1234);
    expect(await readSetpoint()).toBe(1234);
    const before = { port: sim.port, url: sim.endpointUrl, certificate: sim.serverCertificate };
    await sim.restart();
    expect({ port: sim.port, url: sim.endpointUrl, certificate: sim.serverCertificate }).toEqual(
      before,
    );
    // Same certificate: the station's earlier trust decision still holds.
    expect(await readSetpoint()).toBe(1234);
  });

  it('stop() is final and idempotent', async () => {
    const other = await startTestSimulator();
    await other.stop();
    await other.stop();
    const refused = await connectOpcua({
      endpointUrl: other.endpointUrl,
      dataDir,
      securityMode: 'sign-encrypt',
      identity: SIM_USER,
    });
    expect(!refused.ok && refused.error.code).toBe('unreachable');
    expect(existsSync(dataDir)).toBe(true);
  });
});
