// A few runs of the real `microgrid` process against the OPC UA simulator in this test
// process: the wiring (bin → main → command → driver → socket), clean stdout (node-opcua's
// own log lines stay out of it), trust stored by one process and used by the next, and a
// process that ends on time when the server never answers.
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATTERY_NODES } from '../../drivers/sim/opcua/battery-address-space';
import type { OpcuaSimulator } from '../../drivers/sim/opcua/opcua-simulator';
import { listenTcp } from '../../drivers/sim/tcp-listen';
import { startTestSimulator, stationDataDir } from '../support/opcua';
import { runCli } from '../support/station-process';

let sim: OpcuaSimulator;
let passwordFile: string;
beforeAll(async () => {
  sim = await startTestSimulator();
  passwordFile = join(await stationDataDir(), 'password.txt');
  writeFileSync(passwordFile, 'battery-sim\n');
});
afterAll(() => sim.stop());

const id = (name: keyof typeof BATTERY_NODES) => sim.nodeId(BATTERY_NODES[name]);
const login = (dataDir: string) => [
  '--data-dir',
  dataDir,
  '--user',
  'operator',
  '--password-file',
  passwordFile,
];

describe('microgrid OPC UA commands as processes', () => {
  it('browse --json with --trust-server, then read in a new process without it', async () => {
    const dataDir = await stationDataDir();
    const browse = await runCli([
      'browse',
      sim.endpointUrl,
      ...login(dataDir),
      '--trust-server',
      '--json',
    ]);
    expect(browse.code, browse.stderr).toBe(0);
    expect(browse.stderr).toBe('');
    const tree = JSON.parse(browse.stdout);
    expect(tree.root.children.map((c: { displayName: string }) => c.displayName)).toContain(
      'BatteryContainer',
    );
    // The decision is in the data directory: the next process trusts the server.
    const read = await runCli([
      'read',
      sim.endpointUrl,
      ...login(dataDir),
      '--node',
      id('serialNumber'),
    ]);
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toMatch(/SIM-BC-0001\s+String\s+Good/);
  });

  it('an untrusted server certificate is one line on stderr and exit code 1', async () => {
    const run = await runCli([
      'read',
      sim.endpointUrl,
      ...login(await stationDataDir()),
      '--node',
      id('alarms'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^microgrid: server certificate not trusted: Battery Container Simulator, thumbprint [0-9a-f]{40}, valid \d{4}-\d\d-\d\d–\d{4}-\d\d-\d\d; trust it with --trust-server or on the Devices page\n$/,
    );
  });

  it('write with --trust-server writes and reads back', async () => {
    const run = await runCli([
      'write',
      sim.endpointUrl,
      ...login(await stationDataDir()),
      '--trust-server',
      '--node',
      id('breakerClosed'),
      '--value',
      'false',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      dataType: 'Boolean',
      oldValue: true,
      newValue: false,
      readBack: false,
      matches: true,
    });
    expect(sim.battery.state().breakerClosed).toBe(false);
  });

  describe('a server that never answers', () => {
    let silent: Server;
    const held: Socket[] = [];
    beforeAll(async () => {
      silent = createServer((socket) => void held.push(socket));
      await listenTcp(silent);
    });
    afterAll(async () => {
      held.forEach((s) => s.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });

    it('ends the process after --timeout-ms with one line', async () => {
      const address = silent.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const started = Date.now();
      const run = await runCli([
        'browse',
        `opc.tcp://127.0.0.1:${port}`,
        '--data-dir',
        await stationDataDir(),
        '--timeout-ms',
        '1000',
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        `microgrid: opc.tcp://127.0.0.1:${port} did not answer within 1000 ms: check the address, port and that the server is running\n`,
      );
      // Process start (tsx) takes a few seconds on a loaded runner; the bound is what matters.
      expect(Date.now() - started).toBeLessThan(15_000);
    });
  });
});
