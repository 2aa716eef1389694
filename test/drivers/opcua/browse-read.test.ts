// Browse and read against the battery container simulator over a SignAndEncrypt session.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { browseNode, type BrowsedNode } from '../../../drivers/opcua/browse';
import { connectOpcua } from '../../../drivers/opcua/connect';
import type { OpcuaSession } from '../../../drivers/opcua/opcua-session';
import { readValues } from '../../../drivers/opcua/read';
import {
  BATTERY_NODES,
  BATTERY_NAMESPACE_URI,
} from '../../../drivers/sim/opcua/battery-address-space';
import type { OpcuaSimulator } from '../../../drivers/sim/opcua/opcua-simulator';
import { SIM_USER, startTestSimulator, trustingDataDir } from '../../support/opcua';

let sim: OpcuaSimulator;
let s: OpcuaSession;
beforeAll(async () => {
  sim = await startTestSimulator();
  const connected = await connectOpcua({
    endpointUrl: sim.endpointUrl,
    dataDir: await trustingDataDir(sim),
    securityMode: 'sign-encrypt',
    identity: SIM_USER,
  });
  if (!connected.ok) throw new Error(connected.error.message);
  s = connected.value;
});
afterAll(async () => {
  await s?.close();
  await sim.stop();
});

const id = (name: keyof typeof BATTERY_NODES) => sim.nodeId(BATTERY_NODES[name]);
const byName = (nodes: BrowsedNode[] | undefined, browseName: string) =>
  nodes?.find((n) => n.browseName.endsWith(`:${browseName}`) || n.browseName === browseName);

describe('browseNode', () => {
  it('lists the Objects folder by default, with the battery container in it', async () => {
    const tree = await browseNode(s);
    expect(tree.ok).toBe(true);
    if (!tree.ok) return;
    expect(tree.value.root).toMatchObject({
      nodeId: 'ns=0;i=85',
      browseName: 'Objects',
      nodeClass: 'Object',
    });
    expect(byName(tree.value.root.children, 'BatteryContainer')).toMatchObject({
      nodeId: id('container'),
      displayName: 'BatteryContainer',
      nodeClass: 'Object',
      dataType: null,
      access: null,
    });
    expect(byName(tree.value.root.children, 'Server')?.nodeClass).toBe('Object');
  });

  it('describes variables and methods: data type, access, value rank', async () => {
    const tree = await browseNode(s, { nodeId: id('container'), depth: 2 });
    expect(tree.ok).toBe(true);
    if (!tree.ok) return;
    const children = tree.value.root.children;
    expect(byName(children, 'StateOfChargePct')).toMatchObject({
      nodeId: id('stateOfChargePct'),
      nodeClass: 'Variable',
      dataType: 'Double',
      valueRank: -1,
      access: { read: true, write: false },
    });
    expect(byName(children, 'PowerSetpointW')).toMatchObject({
      dataType: 'Double',
      access: { read: true, write: true },
    });
    expect(byName(children, 'OperatingMode')).toMatchObject({
      dataType: 'OperatingModeEnum',
      access: { write: true },
    });
    expect(byName(children, 'EnergyChargedWh')?.dataType).toBe('UInt64');
    expect(byName(children, 'ResetAlarms')).toMatchObject({
      nodeClass: 'Method',
      dataType: null,
      access: null,
    });
    // Depth 2: the nameplate's variables and the analog items' properties.
    expect(byName(byName(children, 'Nameplate')?.children, 'SerialNumber')).toMatchObject({
      dataType: 'String',
    });
    expect(byName(byName(children, 'PowerSetpointW')?.children, 'EURange')).toMatchObject({
      nodeClass: 'Variable',
      dataType: 'Range',
    });
    // Depth 2 stops there: grandchildren are not expanded further.
    expect(
      byName(byName(children, 'Nameplate')?.children, 'SerialNumber')?.children,
    ).toBeUndefined();
  });

  it('follows continuation points when the server pages the references', async () => {
    const whole = await browseNode(s, { nodeId: id('container') });
    const pages = vi.spyOn(s.session, 'browseNext');
    const paged = await browseNode(s, { nodeId: id('container'), maxReferencesPerRequest: 2 });
    // 2 references per page: the rest of the container's children come in further pages.
    expect(pages.mock.calls.length).toBeGreaterThanOrEqual(5);
    pages.mockRestore();
    expect(whole.ok && paged.ok).toBe(true);
    if (!whole.ok || !paged.ok) return;
    const names = (t: typeof whole.value) => t.root.children!.map((c) => c.browseName).sort();
    expect(names(whole.value).length).toBeGreaterThan(10);
    expect(names(paged.value)).toEqual(names(whole.value));
  });

  it('stops at maxNodes and says the tree is truncated', async () => {
    const tree = await browseNode(s, { nodeId: id('container'), depth: 3, maxNodes: 5 });
    expect(tree.ok && tree.value).toMatchObject({ nodeCount: 5, truncated: true });
  });

  it('accepts nsu= node ids', async () => {
    const tree = await browseNode(s, {
      nodeId: `nsu=${BATTERY_NAMESPACE_URI};s=BatteryContainer.Nameplate`,
    });
    expect(tree.ok && tree.value.root.children?.map((c) => c.displayName).sort()).toEqual([
      'CapacityWh',
      'RatedPowerW',
      'SerialNumber',
    ]);
  });

  it.each([
    [
      { nodeId: 'ns=2;s=NoSuchThing' },
      'node_not_found',
      /ns=2;s=NoSuchThing does not exist on opc\.tcp:/,
    ],
    [{ nodeId: 'nsu=urn:nowhere;s=X' }, 'node_not_found', /has no namespace urn:nowhere/],
    [{ nodeId: 'bad id' }, 'bad_node_id', /^"bad id" is not a node id/],
    [{ depth: 0 }, 'bad_options', /depth must be an integer from 1 to 10, got 0/],
    [{ depth: 11 }, 'bad_options', /got 11/],
  ])('refuses %j', async (options, code, message) => {
    const tree = await browseNode(s, options);
    expect(!tree.ok && tree.error.code).toBe(code);
    expect(!tree.ok && tree.error.message).toMatch(message);
  });
});

describe('readValues', () => {
  it('reads typed values with status and timestamps', async () => {
    const before = Date.now();
    const read = await readValues(s, [
      id('stateOfChargePct'),
      id('breakerClosed'),
      id('alarms'),
      id('operatingMode'),
      id('energyChargedWh'),
      id('serialNumber'),
    ]);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value.map((v) => [v.value, v.dataType, v.statusCode])).toEqual([
      [50, 'Double', 'Good'],
      [true, 'Boolean', 'Good'],
      [0, 'UInt32', 'Good'],
      [1, 'Int32', 'Good'],
      ['0', 'UInt64', 'Good'],
      ['SIM-BC-0001', 'String', 'Good'],
    ]);
    const soc = read.value[0]!;
    expect(soc).toMatchObject({ nodeId: id('stateOfChargePct'), isArray: false, problem: null });
    // node-opcua stamps with a clock it refreshes now and then: on a loaded machine that lags
    // by more than a second. "Now-ish" is what matters here: within a few seconds.
    expect(Date.parse(soc.serverTimestamp!)).toBeGreaterThanOrEqual(before - 5000);
    expect(Date.parse(soc.sourceTimestamp!)).toBeGreaterThanOrEqual(before - 5000);
    expect(Date.parse(soc.serverTimestamp!)).toBeLessThanOrEqual(Date.now() + 5000);
  });

  it('follows the model: values change as it steps', async () => {
    sim.battery.setPowerSetpointW(36_000); // discharge
    sim.battery.step(3600_000 / 100); // 36 s at 10 kW/s ramp: full power after 3.6 s
    const read = await readValues(s, [
      id('activePowerW'),
      id('stateOfChargePct'),
      id('energyDischargedWh'),
    ]);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const [power, soc, discharged] = read.value.map((v) => v.value);
    expect(power).toBe(36_000);
    expect(soc as number).toBeLessThan(50);
    expect(Number(discharged)).toBeGreaterThan(0);
  });

  it('reports unknown nodes per node and still reads the others', async () => {
    const read = await readValues(s, [id('stateOfChargePct'), 'ns=2;s=Nope', id('container')]);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.value[0]!.problem).toBeNull();
    expect(read.value[1]).toMatchObject({
      value: null,
      statusCode: 'BadNodeIdUnknown',
      problem: {
        code: 'node_not_found',
        message: `node ns=2;s=Nope: does not exist on ${sim.endpointUrl} (BadNodeIdUnknown)`,
      },
    });
    // An object has no value attribute.
    expect(read.value[2]).toMatchObject({
      statusCode: 'BadAttributeIdInvalid',
      problem: { code: 'not_readable' },
    });
  });

  it('refuses malformed node ids before reading', async () => {
    const read = await readValues(s, [id('alarms'), 'ns=x;s=1']);
    expect(!read.ok && read.error.code).toBe('bad_node_id');
    const none = await readValues(s, []);
    expect(!none.ok && none.error.code).toBe('bad_options');
  });
});
