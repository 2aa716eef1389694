// Writes and method calls against the simulator: values coerced to the node's type, range
// and access refusals decided before anything is written (the simulator counts what
// reaches it), and methods called with typed inputs.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { callMethod } from '../../../drivers/opcua/call';
import { connectOpcua } from '../../../drivers/opcua/connect';
import type { OpcuaSession } from '../../../drivers/opcua/opcua-session';
import { planOpcuaWrite, writeOpcuaValue } from '../../../drivers/opcua/write';
import { BATTERY_NODES } from '../../../drivers/sim/opcua/battery-address-space';
import { ALARM_BITS } from '../../../drivers/sim/opcua/battery-container-model';
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
let writesBefore = 0;
beforeEach(() => {
  writesBefore = sim.writes.count;
});
const writesSent = () => sim.writes.count - writesBefore;

describe('writeOpcuaValue', () => {
  it('writes a setpoint as Double and reads back what the PLC now holds', async () => {
    const written = await writeOpcuaValue(s, { nodeId: id('powerSetpointW'), value: '-20000' });
    expect(written.ok, JSON.stringify(!written.ok && written.error)).toBe(true);
    if (!written.ok) return;
    expect(written.value.plan).toMatchObject({
      displayName: 'PowerSetpointW',
      dataType: 'Double',
      oldValue: 0,
      newValue: -20000,
      range: { low: -50000, high: 50000 },
    });
    expect(written.value).toMatchObject({ readBack: -20000, matches: true });
    expect(sim.battery.state().powerSetpointW).toBe(-20000);
    // The physics follows: 1 s at 10 kW/s, charging.
    sim.battery.step(1000);
    expect(sim.battery.state().activePowerW).toBe(-10000);
  });

  it('coerces booleans, enumerations and integers to the node type', async () => {
    const breaker = await writeOpcuaValue(s, { nodeId: id('breakerClosed'), value: 'false' });
    expect(breaker.ok && breaker.value.readBack).toBe(false);
    expect(sim.battery.state().breakerClosed).toBe(false);
    const closed = await writeOpcuaValue(s, { nodeId: id('breakerClosed'), value: 1 });
    expect(closed.ok && closed.value.readBack).toBe(true);

    const mode = await writeOpcuaValue(s, { nodeId: id('operatingMode'), value: 'maintenance' });
    expect(mode.ok && mode.value).toMatchObject({
      plan: {
        dataType: 'OperatingModeEnum',
        oldValue: 1,
        oldSymbol: 'Running',
        newValue: 2,
        newSymbol: 'Maintenance',
      },
      readBack: 2,
      readBackSymbol: 'Maintenance',
    });
    const byNumber = await writeOpcuaValue(s, { nodeId: id('operatingMode'), value: '1' });
    expect(byNumber.ok && byNumber.value.readBackSymbol).toBe('Running');

    const timeout = await writeOpcuaValue(s, { nodeId: id('setpointTimeoutS'), value: '600' });
    expect(timeout.ok && timeout.value).toMatchObject({
      plan: { dataType: 'UInt32' },
      readBack: 600,
    });
    const reserve = await writeOpcuaValue(s, { nodeId: id('reserveSocPct'), value: '15' });
    expect(reserve.ok && reserve.value.readBack).toBe(15);
    expect(sim.battery.state()).toMatchObject({
      operatingMode: 'Running',
      setpointTimeoutS: 600,
      reserveSocPct: 15,
    });
  });

  it.each([
    [
      'powerSetpointW',
      '60000',
      'out_of_range',
      "60000 is outside the node's range -50000 to 50000 (EURange)",
    ],
    ['powerSetpointW', 'NaN', 'out_of_range', 'NaN is never written to a device'],
    ['powerSetpointW', 'Infinity', 'out_of_range', 'Infinity is never written to a device'],
    ['powerSetpointW', '12 kW', 'bad_type', 'Double takes a number, got "12 kW"'],
    ['reserveSocPct', '70000', 'out_of_range', '70000 does not fit UInt16 (0 to 65535)'],
    ['reserveSocPct', '150', 'out_of_range', "150 is outside the node's range 0 to 100 (EURange)"],
    ['setpointTimeoutS', '-1', 'out_of_range', '-1 does not fit UInt32 (0 to 4294967295)'],
    ['setpointTimeoutS', '2.5', 'bad_type', 'UInt32 takes a whole number, got "2.5"'],
    ['breakerClosed', 'maybe', 'bad_type', 'Boolean takes true or false (or 1 or 0), got "maybe"'],
    [
      'operatingMode',
      'Turbo',
      'out_of_range',
      '"Turbo" is not a value of OperatingModeEnum: Standby (0), Running (1), Maintenance (2)',
    ],
    ['operatingMode', '7', 'out_of_range', '"7" is not a value of OperatingModeEnum'],
  ] as const)('%s = %s is refused (%s) before writing', async (node, value, code, message) => {
    const refused = await writeOpcuaValue(s, { nodeId: id(node), value });
    expect(!refused.ok && refused.error.code).toBe(code);
    expect(!refused.ok && refused.error.message).toContain(message);
    expect(writesSent()).toBe(0);
  });

  it('refuses read-only variables, objects and unknown nodes before writing', async () => {
    const readOnly = await writeOpcuaValue(s, { nodeId: id('stateOfChargePct'), value: '80' });
    expect(!readOnly.ok && readOnly.error).toMatchObject({
      code: 'not_writable',
      message: `${id('stateOfChargePct')} (StateOfChargePct) is read-only`,
    });
    const object = await writeOpcuaValue(s, { nodeId: id('nameplate'), value: '1' });
    expect(!object.ok && object.error).toMatchObject({
      code: 'not_writable',
      message: expect.stringContaining('is an Object, not a variable'),
    });
    const unknown = await writeOpcuaValue(s, {
      nodeId: 'ns=2;s=BatteryContainer.Turbo',
      value: '1',
    });
    expect(!unknown.ok && unknown.error).toMatchObject({
      code: 'node_not_found',
      message: `ns=2;s=BatteryContainer.Turbo does not exist on ${sim.endpointUrl}`,
    });
    expect(writesSent()).toBe(0);
    expect(sim.battery.state().socPct).not.toBe(80);
  });

  it('a plan shows old and new value without writing', async () => {
    const plan = await planOpcuaWrite(s, { nodeId: id('powerSetpointW'), value: 5000 });
    expect(plan.ok && plan.value).toMatchObject({ newValue: 5000, dataType: 'Double' });
    expect(writesSent()).toBe(0);
  });
});

describe('callMethod', () => {
  it('ResetAlarms clears the alarms and returns what was active', async () => {
    sim.battery.raiseAlarms(ALARM_BITS.overTemperature | ALARM_BITS.socLow);
    const called = await callMethod(s, { methodId: id('resetAlarms') });
    expect(called.ok, JSON.stringify(!called.ok && called.error)).toBe(true);
    expect(called.ok && called.value).toEqual({
      methodId: id('resetAlarms'),
      objectId: id('container'),
      outputs: [
        {
          name: 'ClearedAlarms',
          dataType: 'UInt32',
          value: ALARM_BITS.overTemperature | ALARM_BITS.socLow,
        },
      ],
    });
    expect(sim.battery.state().alarms).toBe(0);
  });

  it('AcknowledgeAlarm takes a Byte coerced from text', async () => {
    sim.battery.raiseAlarms(ALARM_BITS.overTemperature | ALARM_BITS.breakerTripped);
    const called = await callMethod(s, {
      methodId: id('acknowledgeAlarm'),
      objectId: id('container'),
      inputs: ['3'],
    });
    expect(called.ok && called.value.outputs).toEqual([
      { name: 'ActiveAlarms', dataType: 'UInt32', value: ALARM_BITS.breakerTripped },
    ]);
  });

  it('refuses wrong inputs before calling, and reports what the server refuses', async () => {
    const tooBig = await callMethod(s, { methodId: id('acknowledgeAlarm'), inputs: ['300'] });
    expect(!tooBig.ok && tooBig.error).toMatchObject({
      code: 'out_of_range',
      message: 'argument Bit: 300 does not fit Byte (0 to 255)',
    });
    const count = await callMethod(s, { methodId: id('resetAlarms'), inputs: ['1'] });
    expect(!count.ok && count.error).toMatchObject({
      code: 'bad_arguments',
      message: `method ${id('resetAlarms')} takes 0 arguments, got 1`,
    });
    const missing = await callMethod(s, { methodId: id('acknowledgeAlarm') });
    expect(!missing.ok && missing.error.message).toBe(
      `method ${id('acknowledgeAlarm')} takes 1 argument (Bit), got 0`,
    );
    // Fits a Byte, but the PLC only has 32 alarm bits.
    const server = await callMethod(s, { methodId: id('acknowledgeAlarm'), inputs: [40] });
    expect(!server.ok && server.error).toMatchObject({
      code: 'bad_arguments',
      statusCode: 'BadInvalidArgument',
    });
    const notMethod = await callMethod(s, { methodId: id('alarms') });
    expect(!notMethod.ok && notMethod.error).toMatchObject({
      code: 'node_not_found',
      message: expect.stringContaining('is a Variable, not a method'),
    });
  });
});
