// microgrid browse/read/write against the OPC UA simulator, in-process (main() with a
// captured CliIo, or the write command with a fake terminal). Spawned runs are in
// cli-opcua-e2e.test.ts.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATTERY_NODES } from '../../drivers/sim/opcua/battery-address-space';
import type { OpcuaSimulator } from '../../drivers/sim/opcua/opcua-simulator';
import { createWriteCommand } from '../../electron/cli/write-command';
import {
  cli,
  expectOneLineError,
  fakeTerminal,
  runWith,
} from '../drivers/commissioning/support/cli-run';
import { startTestSimulator, stationDataDir, trustingDataDir } from '../support/opcua';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs('mg-cli-opcua-');
let sim: OpcuaSimulator;
let dataDir: string;
let passwordFile: string;
beforeAll(async () => {
  sim = await startTestSimulator();
  dataDir = await trustingDataDir(sim);
  passwordFile = join(dataDir, 'password.txt');
  writeFileSync(passwordFile, 'battery-sim\n');
});
afterAll(() => sim.stop());

const id = (name: keyof typeof BATTERY_NODES) => sim.nodeId(BATTERY_NODES[name]);
const login = () => ['--data-dir', dataDir, '--user', 'operator', '--password-file', passwordFile];

describe('microgrid browse', () => {
  it('--json gives the tree with node ids, classes, types and access', async () => {
    const run = await cli([
      'browse',
      sim.endpointUrl,
      ...login(),
      '--node',
      id('container'),
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      endpoint: sim.endpointUrl,
      security: { mode: 'sign-encrypt', policy: 'Basic256Sha256', user: 'username' },
      serverCertificate: { applicationUri: 'urn:microgrid-station:battery-container-simulator' },
      root: { nodeId: id('container'), nodeClass: 'Object' },
      truncated: false,
    });
    const setpoint = report.root.children.find((c: any) => c.displayName === 'PowerSetpointW');
    expect(setpoint).toMatchObject({
      nodeId: id('powerSetpointW'),
      dataType: 'Double',
      access: { read: true, write: true },
    });
  });

  it('prints an indented table', async () => {
    const run = await cli([
      'browse',
      sim.endpointUrl,
      ...login(),
      '--node',
      id('nameplate'),
      '--policy',
      'Aes256_Sha256_RsaPss',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      `Nameplate (${id('nameplate')}) on ${sim.endpointUrl}`,
      `  SerialNumber  Variable  String  r   ${id('serialNumber')}`,
      `  CapacityWh    Variable  Double  r   ${id('capacityWh')}`,
      `  RatedPowerW   Variable  Double  r   ${id('ratedPowerW')}`,
    ]);
  });
});

describe('microgrid read (OPC UA)', () => {
  it('prints value, type, status and source time per node', async () => {
    const run = await cli([
      'read',
      sim.endpointUrl,
      ...login(),
      '--node',
      id('stateOfChargePct'),
      '--node',
      id('serialNumber'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^${id('stateOfChargePct').replace(/[.;]/g, '\\$&')}\\s+50\\s+Double\\s+Good\\s+\\d{4}-\\d\\d-\\d\\dT`,
      ),
    );
    expect(lines[1]).toMatch(/SIM-BC-0001\s+String\s+Good/);
  });

  it('an unknown node still prints the others, then fails in one line', async () => {
    const run = await cli([
      'read',
      sim.endpointUrl,
      ...login(),
      '--node',
      id('alarms'),
      '--node',
      'ns=2;s=Nope',
      '--json',
    ]);
    expectOneLineError(
      run,
      1,
      /^microgrid: 1 of 2 nodes could not be read \(node ns=2;s=Nope: does not exist on opc\.tcp:\/\/127\.0\.0\.1:\d+ \(BadNodeIdUnknown\)\)$/,
    );
    const report = JSON.parse(run.stdout);
    expect(report.values.map((v: any) => [v.statusCode, v.problem?.code ?? null])).toEqual([
      ['Good', null],
      ['BadNodeIdUnknown', 'node_not_found'],
    ]);
  });
});

describe('microgrid write (OPC UA)', () => {
  it('writes a value converted to the node type and reports the read-back', async () => {
    const run = await cli([
      'write',
      sim.endpointUrl,
      ...login(),
      '--node',
      id('powerSetpointW'),
      '--value=-20000',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      `${id('powerSetpointW')} (PowerSetpointW): 0 → -20000 written; the server now reports -20000`,
    );
    expect(sim.battery.state().powerSetpointW).toBe(-20000);
  });

  it('asks on a terminal first, and writes nothing when the answer is no', async () => {
    const terminal = fakeTerminal({ answer: false });
    const writes = sim.writes.count;
    const run = await runWith(
      createWriteCommand(terminal),
      [sim.endpointUrl, ...login(), '--node', id('operatingMode'), '--value', 'Standby'],
      true,
    );
    expect(terminal.questions).toEqual([
      `Write ${id('operatingMode')} (OperatingMode) on ${sim.endpointUrl}: 1 (Running) → 0 (Standby)?`,
    ]);
    expectOneLineError(run, 1, /^microgrid: nothing written: not confirmed$/);
    expect(sim.writes.count).toBe(writes);
  });

  it.each([
    [
      ['--value', '60000'],
      /^microgrid: .*PowerSetpointW: 60000 is outside the node's range -50000 to 50000 \(EURange\)$/,
    ],
    [['--value', 'NaN'], /NaN is never written to a device$/],
  ])('refuses %j before writing', async (args, message) => {
    const writes = sim.writes.count;
    const run = await cli([
      'write',
      sim.endpointUrl,
      ...login(),
      '--node',
      id('powerSetpointW'),
      ...args,
    ]);
    expectOneLineError(run, 1, message);
    expect(sim.writes.count).toBe(writes);
  });

  it('refuses a read-only node', async () => {
    const run = await cli([
      'write',
      sim.endpointUrl,
      ...login(),
      '--node',
      id('stateOfChargePct'),
      '--value',
      '1',
    ]);
    expectOneLineError(run, 1, /\(StateOfChargePct\) is read-only$/);
  });
});

describe('errors: one line naming the cause', () => {
  it('an untrusted server certificate says how to trust it', async () => {
    const fresh = await stationDataDir();
    const run = await cli([
      'read',
      sim.endpointUrl,
      '--data-dir',
      fresh,
      '--user',
      'operator',
      '--password-file',
      passwordFile,
      '--node',
      'i=2258',
    ]);
    expectOneLineError(
      run,
      1,
      /^microgrid: server certificate not trusted: Battery Container Simulator, thumbprint [0-9a-f]{40}, valid \d{4}-\d\d-\d\d–\d{4}-\d\d-\d\d; trust it with --trust-server or on the Devices page$/,
    );
  });

  it('a wrong password is a refused user', async () => {
    const wrong = join(tempDir(), 'wrong.txt');
    writeFileSync(wrong, 'nope');
    const run = await cli([
      'read',
      sim.endpointUrl,
      '--data-dir',
      dataDir,
      '--user',
      'operator',
      '--password-file',
      wrong,
      '--node',
      'i=2258',
    ]);
    expectOneLineError(
      run,
      1,
      /refused user "operator" \(BadUserAccessDenied\): check the user name and password/,
    );
  });

  it('security none on a server without it names what it offers', async () => {
    const run = await cli([
      'read',
      sim.endpointUrl,
      ...login(),
      '--security',
      'none',
      '--node',
      'i=2258',
    ]);
    expectOneLineError(
      run,
      1,
      /does not offer security none \(it only accepts secured connections\); it offers sign and sign-encrypt with Basic256Sha256, Aes128_Sha256_RsaOaep, Aes256_Sha256_RsaPss$/,
    );
  });

  it.each([
    [
      ['read', 'URL', '--node', 'i=85', '--security', 'plain'],
      /--security: unknown security mode "plain"/,
    ],
    [
      ['read', 'URL', '--node', 'i=85', '--policy', 'Basic128Rsa15'],
      /security policy Basic128Rsa15 is obsolete/,
    ],
    [
      ['read', 'URL', '--node', 'i=85', '--security', 'none', '--policy', 'Basic256Sha256'],
      /--policy needs --security sign or sign-encrypt/,
    ],
    [['read', 'URL', '--node', 'i=85', '--user', 'operator'], /--user needs --password-file FILE/],
    [['read', 'URL', '--node', 'i=85', '--password-file', 'x'], /--password-file needs --user/],
    [['read', 'URL'], /read of an OPC UA server needs --node ID/],
    [['read', 'URL', '--node', 'i=85', '--model', '1'], /--model is for Modbus URLs/],
    [['read', 'URL', '--node', 'not a node'], /"not a node" is not a node id/],
    [
      ['write', 'URL', '--node', 'i=85', '--value', '1', '--point', 'W'],
      /--point is for Modbus URLs; OPC UA nodes are named with --node/,
    ],
    [['browse', 'URL', '--depth', '0'], /--depth must be an integer from 1 to 10, got "0"/],
    [['browse', 'modbus-tcp://127.0.0.1:1502'], /browse speaks OPC UA: give an opc\.tcp:\/\/ URL/],
    [
      ['read', 'modbus-tcp://127.0.0.1:1502', '--node', 'i=85', '--trust-server'],
      /^microgrid: --node, --trust-server are only for opc\.tcp:\/\/ URLs/,
    ],
    [['browse', 'URL', '--timeout-ms', '5'], /--timeout-ms must be an integer from 100 to 60000/],
  ])('%j exits 2', async (args, message) => {
    const writes = sim.writes.count;
    const run = await cli([
      ...args.map((a) => (a === 'URL' ? sim.endpointUrl : a)),
      '--data-dir',
      dataDir,
    ]);
    expectOneLineError(run, 2, message);
    expect(sim.writes.count).toBe(writes);
  });

  it('a missing password file exits 1 naming it', async () => {
    const run = await cli([
      'read',
      sim.endpointUrl,
      '--data-dir',
      dataDir,
      '--user',
      'operator',
      '--password-file',
      '/nonexistent/pw',
      '--node',
      'i=85',
    ]);
    expectOneLineError(
      run,
      1,
      /^microgrid: cannot read the password file \/nonexistent\/pw \(ENOENT\)$/,
    );
  });
});
