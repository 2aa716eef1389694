// OPC UA commissioning through the station API, against the battery container simulator
// over real TCP with SignAndEncrypt and a user name: see the certificate, trust it (only the
// one seen), browse, read, check and make a test write, add devices (password kept in the
// data directory, never in the site or an answer), and reject the certificate again.
import { existsSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpcuaConnection } from '../../../core/api/station-api';
import { opcuaSecretFile } from '../../../drivers/opcua/opcua-device-config-secrets';
import { BATTERY_NODES } from '../../../drivers/sim/opcua/battery-nodes';
import type { OpcuaSimulator } from '../../../drivers/sim/opcua/opcua-simulator';
import { describeCertificate } from '../../../drivers/opcua/certificate-info';
import { startRuntime } from '../../../electron/station/runtime';
import type { Station } from '../../../electron/station/station';
import { smallSite } from '../../core/site/site-fixture';
import { startTestSimulator, stationDataDir } from '../../support/opcua';
import { call, refusal } from './station-api-client';

let sim: OpcuaSimulator;
let station: Station;
let dataDir: string;
let connection: OpcuaConnection;
const node = (name: keyof typeof BATTERY_NODES): string => sim.nodeId(BATTERY_NODES[name]);

beforeAll(async () => {
  sim = await startTestSimulator();
  dataDir = await stationDataDir();
  const site = smallSite();
  site.devices = [];
  station = await startRuntime({ dataDir, site, snapshotIntervalMs: 100 });
  connection = {
    url: sim.endpointUrl,
    securityMode: 'sign-encrypt',
    securityPolicy: 'Basic256Sha256',
    username: 'operator',
    password: 'battery-sim',
  };
}, 30_000);
afterAll(async () => {
  await station?.stop();
  await sim?.stop();
});

const thumbprint = (): string => {
  const info = describeCertificate(sim.serverCertificate);
  if (!info.ok) throw new Error(info.error.message);
  return info.value.thumbprint;
};

describe('OPC UA commissioning API', () => {
  it('shows what the server offers and its certificate, refused until trusted', async () => {
    const info = await call(station, 'opcua.endpoints', { url: sim.endpointUrl });
    expect(info.certificate).toMatchObject({ thumbprint: thumbprint(), status: 'unknown' });
    expect(info.endpoints).toContainEqual({
      securityMode: 'sign-encrypt',
      securityPolicy: 'Basic256Sha256',
      obsolete: false,
      userTokens: ['username', 'certificate'],
    });
    expect(info.endpoints.some((e) => e.securityMode === 'none')).toBe(false);

    const untrusted = await refusal(station, 'opcua.browse', { connection });
    expect(untrusted.code).toBe('certificate_untrusted');
    expect(untrusted.message).toContain(thumbprint());
  }, 20_000);

  it('trusts only the certificate the technician saw', async () => {
    const other = 'ab'.repeat(20);
    expect(
      await refusal(station, 'opcua.trust', {
        url: sim.endpointUrl,
        thumbprint: other,
        decision: 'trust',
      }),
    ).toMatchObject({ code: 'certificate_changed' });
    expect(
      (await call(station, 'opcua.endpoints', { url: sim.endpointUrl })).certificate?.status,
    ).not.toBe('trusted');

    const trusted = await call(station, 'opcua.trust', {
      url: sim.endpointUrl,
      thumbprint: thumbprint().toUpperCase(),
      decision: 'trust',
    });
    expect(trusted).toMatchObject({ thumbprint: thumbprint(), status: 'trusted' });
    const list = await call(station, 'opcua.certificates', {});
    expect(list.certificates).toContainEqual(
      expect.objectContaining({ thumbprint: thumbprint(), status: 'trusted' }),
    );
    expect(list.own.subject).toMatch(/Microgrid Station/);
  }, 20_000);

  it('browses level by level with class, data type and access', async () => {
    const objects = await call(station, 'opcua.browse', { connection });
    const container = objects.children.find((c) => c.browseName.endsWith('BatteryContainer'));
    expect(container).toMatchObject({ nodeClass: 'Object', hasChildren: true });

    const level = await call(station, 'opcua.browse', { connection, nodeId: container!.nodeId });
    const byName = new Map(level.children.map((c) => [c.displayName, c]));
    expect(byName.get('StateOfChargePct')).toMatchObject({
      nodeClass: 'Variable',
      dataType: 'Double',
      access: { read: true, write: false },
    });
    expect(byName.get('PowerSetpointW')?.access).toEqual({ read: true, write: true });
    expect(byName.get('ResetAlarms')?.nodeClass).toBe('Method');
  }, 20_000);

  it('reads values and test-writes a setpoint with a plan first', async () => {
    const [soc, missing] = await call(station, 'opcua.read', {
      connection,
      nodeIds: [node('stateOfChargePct'), 'ns=1;s=Nope'],
    });
    expect(soc).toMatchObject({ statusCode: 'Good', dataType: 'Double', problem: null });
    expect(soc!.value).toBeCloseTo(sim.battery.state().socPct, 3);
    expect(missing).toMatchObject({ value: null, statusCode: 'BadNodeIdUnknown' });
    expect(missing!.problem).toMatch(/Nope/);

    const writesBefore = sim.writes.count;
    const plan = await call(station, 'opcua.planWrite', {
      connection,
      nodeId: node('powerSetpointW'),
      value: -12_000,
    });
    expect(plan).toMatchObject({ dataType: 'Double', newValue: -12_000 });
    expect(sim.writes.count).toBe(writesBefore); // a plan writes nothing

    const done = await call(station, 'opcua.write', {
      connection,
      nodeId: node('powerSetpointW'),
      value: -12_000,
    });
    expect(done).toMatchObject({ readBack: -12_000, confirmed: true });
    expect(sim.writes.count).toBe(writesBefore + 1);
    expect(sim.battery.state().powerSetpointW).toBe(-12_000);

    expect(
      await refusal(station, 'opcua.write', {
        connection,
        nodeId: node('stateOfChargePct'),
        value: 50,
      }),
    ).toMatchObject({ code: 'read_only' });
  }, 20_000);

  it('names a wrong password, an offer the server lacks and insecure requests', async () => {
    expect(
      await refusal(station, 'opcua.browse', {
        connection: { ...connection, password: 'wrong' },
      }),
    ).toMatchObject({ code: 'auth_failed' });
    expect(
      await refusal(station, 'opcua.browse', {
        connection: { url: sim.endpointUrl, securityMode: 'none' },
      }),
    ).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/allowInsecure/) });
    expect(
      await refusal(station, 'opcua.browse', {
        connection: { url: sim.endpointUrl, securityMode: 'none', allowInsecure: true },
      }),
    ).toMatchObject({ code: 'security_refused' });
    expect(
      await refusal(station, 'opcua.read', { connection, nodeIds: ['not a node id'] }),
    ).toMatchObject({ code: 'bad_request' });
  }, 20_000);

  it('adds devices on one server, keeping the password out of the site and answers', async () => {
    const opcua = {
      securityMode: 'sign-encrypt' as const,
      username: 'operator',
      points: [
        { point: 'socPct', nodeId: node('stateOfChargePct') },
        { point: 'powerW', nodeId: node('activePowerW') },
      ],
    };
    expect(
      await refusal(station, 'devices.add', {
        id: 'container',
        name: 'Container',
        url: sim.endpointUrl,
        role: 'battery',
        memberId: null,
        pollIntervalMs: 500,
        opcua,
      }),
    ).toMatchObject({ code: 'bad_request', message: expect.stringMatching(/opcuaPassword/) });
    expect(
      await refusal(station, 'devices.add', {
        id: 'container',
        name: 'Container',
        url: sim.endpointUrl,
        role: 'battery',
        memberId: null,
        pollIntervalMs: 500,
        opcua,
        opcuaPassword: 'wrong',
      }),
    ).toMatchObject({ code: 'auth_failed' });
    expect(existsSync(opcuaSecretFile(dataDir, 'container'))).toBe(false);

    const added = await call(station, 'devices.add', {
      id: 'container',
      name: 'Container',
      url: sim.endpointUrl,
      role: 'battery',
      memberId: null,
      pollIntervalMs: 500,
      opcua,
      opcuaPassword: 'battery-sim',
    });
    expect(added.verifying).toBe(true);
    expect(added.identity?.model).toMatch(/Battery/i);
    const file = opcuaSecretFile(dataDir, 'container');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(added)).not.toContain('battery-sim');
    expect(JSON.stringify(await call(station, 'site.state', {}))).not.toContain('battery-sim');

    // A second device on the same server (another part of the container) is no duplicate.
    const second = await call(station, 'devices.add', {
      id: 'container-nameplate',
      name: 'Container nameplate',
      url: sim.endpointUrl,
      role: 'battery',
      memberId: null,
      pollIntervalMs: 1000,
      opcua: { ...opcua, points: [{ point: 'capacityWh', nodeId: node('capacityWh') }] },
      opcuaPassword: 'battery-sim',
    });
    expect(second.device.id).toBe('container-nameplate');

    // The first good reading enables the device; its values arrive as canonical points.
    const deadline = Date.now() + 15_000;
    let enabled = false;
    let soc: number | null | undefined;
    while (Date.now() < deadline && !(enabled && typeof soc === 'number')) {
      await new Promise((r) => setTimeout(r, 100));
      const state = await call(station, 'site.state', {});
      enabled = state.site.devices.find((d) => d.id === 'container')?.enabled ?? false;
      soc = (await call(station, 'snapshot.get', {})).points['container.socPct']?.value;
    }
    expect(enabled).toBe(true);
    expect(soc).toBeCloseTo(sim.battery.state().socPct, 1);

    // A stored device is browsed and read with its own stored password.
    const read = await call(station, 'opcua.read', {
      deviceId: 'container',
      nodeIds: [node('capacityWh')],
    });
    expect(read[0]?.statusCode).toBe('Good');

    await call(station, 'devices.remove', { id: 'container' });
    expect(existsSync(file)).toBe(false);
    await call(station, 'devices.remove', { id: 'container-nameplate' });
  }, 40_000);

  it('rejecting the certificate closes the door again', async () => {
    const rejected = await call(station, 'opcua.trust', {
      url: sim.endpointUrl,
      thumbprint: thumbprint(),
      decision: 'reject',
    });
    expect(rejected.status).toBe('rejected');
    expect(await refusal(station, 'opcua.browse', { connection })).toMatchObject({
      code: 'certificate_untrusted',
    });
  }, 20_000);
});
