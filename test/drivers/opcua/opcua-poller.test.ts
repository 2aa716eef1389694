// The OPC UA poller against the battery container simulator over SignAndEncrypt with a
// user name: canonical points as Modbus pollers report them, identity from the server,
// and the "done when" of issue 4: offline while the server restarts, then values resume.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceReading, DeviceStatus } from '../../../core/points/snapshot';
import type { DeviceConfig } from '../../../core/site/site-types';
import { writeOpcuaPassword } from '../../../drivers/opcua/opcua-device-config-secrets';
import type { OpcuaPoller } from '../../../drivers/opcua/opcua-poller';
import { createOpcuaPoller } from '../../../drivers/opcua/opcua-poller-factory';
import { OpcuaSessionManager } from '../../../drivers/opcua/session-manager';
import type { OpcuaSimulator } from '../../../drivers/sim/opcua/opcua-simulator';
import { trustServerCertificate } from '../../../drivers/opcua/trust';
import { SIM_USER, startTestSimulator, stationDataDir, trustingDataDir } from '../../support/opcua';

let sim: OpcuaSimulator;
let dataDir: string;
let manager: OpcuaSessionManager;
let container: OpcuaPoller;
let inverted: OpcuaPoller;

const node = (name: string): string => `nsu=${sim.namespaceUri};s=BatteryContainer.${name}`;

function device(id: string, points: NonNullable<DeviceConfig['opcua']>['points']): DeviceConfig {
  return {
    id,
    name: id,
    url: sim.endpointUrl,
    role: 'battery',
    memberId: null,
    pollIntervalMs: 200,
    enabled: true,
    opcua: {
      securityMode: 'sign-encrypt',
      securityPolicy: 'Aes256_Sha256_RsaPss',
      username: SIM_USER.username,
      samplingIntervalMs: 50,
      publishingIntervalMs: 100,
      points,
    },
  };
}

beforeAll(async () => {
  sim = await startTestSimulator();
  dataDir = await trustingDataDir(sim);
  for (const id of ['container', 'container-inverted'])
    expect((await writeOpcuaPassword(dataDir, id, SIM_USER.password)).ok).toBe(true);
  manager = new OpcuaSessionManager({
    dataDir,
    keepAliveIntervalMs: 500,
    backoff: { initialMs: 200, maxMs: 1000, factor: 2 },
  });
  const a = createOpcuaPoller(
    device('container', [
      { point: 'socPct', nodeId: node('StateOfChargePct') },
      { point: 'powerW', nodeId: node('ActivePowerW') },
      { point: 'capacityWh', nodeId: node('Nameplate.CapacityWh') },
    ]),
    manager,
    dataDir,
  );
  const b = createOpcuaPoller(
    device('container-inverted', [
      // A device that reports kW and counts charging as positive.
      { point: 'powerW', nodeId: node('ActivePowerW'), scale: 0.001, invert: true },
      { point: 'energyImportWh', nodeId: node('EnergyChargedWh') },
    ]),
    manager,
    dataDir,
  );
  if (!a.ok || !b.ok) throw new Error('pollers not created');
  container = a.value;
  inverted = b.value;
});

afterAll(async () => {
  await container?.close();
  await inverted?.close();
  await manager?.closeAll();
  await sim?.stop();
});

async function pollUntil(
  poller: OpcuaPoller,
  check: (reading: DeviceReading | null, status: DeviceStatus) => boolean,
  timeoutMs = 10_000,
): Promise<DeviceReading | null> {
  const startedMs = Date.now();
  for (;;) {
    const reading = await poller.poll();
    if (check(reading, poller.status())) return reading;
    if (Date.now() - startedMs > timeoutMs)
      throw new Error(
        `condition not met in ${timeoutMs} ms: ${JSON.stringify({ reading, status: poller.status() })}`,
      );
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('OpcuaPoller on the battery container simulator', () => {
  it('reports canonical points, scaled and signed, from one shared secured session', async () => {
    sim.battery.setSocPct(64.5);
    sim.battery.setPowerSetpointW(-20_000); // charging
    sim.battery.step(10_000);
    const s = sim.battery.state();
    expect(s.activePowerW).toBeLessThan(0);
    const a = await pollUntil(container, (r) => r?.values.powerW === s.activePowerW);
    expect(a?.values).toEqual({ socPct: s.socPct, powerW: s.activePowerW, capacityWh: 100_000 });
    const b = await pollUntil(inverted, (r) => r?.values.powerW === -s.activePowerW * 0.001);
    expect(b?.values.powerW).toBeGreaterThan(0);
    expect(Number.isInteger(b?.values.energyImportWh)).toBe(true);
    expect(Math.abs(b!.values.energyImportWh! - s.energyChargedWh)).toBeLessThanOrEqual(1);
    expect(manager.serverCount).toBe(1);

    await pollUntil(container, (_, st) => st.latencyMs !== null);
    expect(container.status()).toMatchObject({
      id: 'container',
      state: 'ok',
      errorCount: 0,
      lastError: null,
      identity: {
        manufacturer: 'Microgrid Station',
        model: 'Battery Container Simulator',
        version: '1.0.0',
        serialNumber: 'urn:microgrid-station:battery-container-simulator',
      },
    });
    expect(container.status().lastGoodReadMs).toBeGreaterThan(Date.now() - 5000);
  });

  it('goes offline when the server restarts and back to ok with values resuming', async () => {
    await pollUntil(container, (r, st) => r !== null && st.state === 'ok');
    const seen = new Set<string>();
    let polledNull = false;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const reading = await container.poll();
        if (reading === null) polledNull = true;
        seen.add(container.status().state);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();

    await sim.restart(); // the old session and subscription are gone with the old server
    sim.battery.setSocPct(31.25);
    sim.battery.setPowerSetpointW(15_000);
    sim.battery.step(10_000);
    const s = sim.battery.state();
    const resumed = await pollUntil(
      container,
      (r, st) =>
        st.state === 'ok' && r?.values.socPct === s.socPct && r.values.powerW === s.activePowerW,
    );
    sampling = false;
    await sampler;

    expect(seen.has('offline')).toBe(true);
    expect(polledNull).toBe(true);
    expect(resumed?.values.capacityWh).toBe(100_000);
    const status = container.status();
    expect(status.errorCount).toBeGreaterThanOrEqual(1);
    expect(status.lastError).toMatch(/was lost|closed|cannot reach/);
    const inv = await pollUntil(inverted, (r) => r?.values.powerW === -s.activePowerW * 0.001);
    expect(inv?.values.powerW).toBeLessThan(0); // discharging now
    expect(manager.serverCount).toBe(1);
  });

  it('waits offline on an untrusted server certificate and connects once a technician trusts it', async () => {
    const untrusting = await stationDataDir();
    expect((await writeOpcuaPassword(untrusting, 'container', SIM_USER.password)).ok).toBe(true);
    const other = new OpcuaSessionManager({
      dataDir: untrusting,
      backoff: { initialMs: 100, maxMs: 300, factor: 2 },
    });
    const created = createOpcuaPoller(
      device('container', [{ point: 'socPct', nodeId: node('StateOfChargePct') }]),
      other,
      untrusting,
    );
    if (!created.ok) throw new Error(created.error.message);
    try {
      await pollUntil(created.value, (_, st) => st.state === 'offline');
      expect(created.value.status().lastError).toMatch(/not trusted/);
      expect(await created.value.poll()).toBeNull();
      expect((await trustServerCertificate(untrusting, sim.serverCertificate)).ok).toBe(true);
      const reading = await pollUntil(created.value, (r) => typeof r?.values.socPct === 'number');
      expect(reading?.values.socPct).toBe(sim.battery.state().socPct);
    } finally {
      await created.value.close();
      await other.closeAll();
    }
  });
});
