// `microgrid simulate --opcua-port 0 --json` as a technician runs it to practise: the OPC UA
// battery container appears next to the Modbus devices, with its user and node ids, and the
// station's own CLI reads it over SignAndEncrypt after trusting its certificate.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stationDataDir } from '../support/opcua';
import { PROJECT_ROOT, runCli } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs('mg-cli-simulate-opcua-');
const stops: Array<() => void> = [];
afterAll(() => stops.forEach((stop) => stop()));

interface Endpoint {
  deviceId: string;
  role: string;
  url: string;
  opcua?: { username: string; password: string; nodes: Record<string, string> };
}

function startSimulate(args: string[]): Promise<Endpoint[]> {
  const child = spawn(
    process.execPath,
    [join(PROJECT_ROOT, 'bin', 'microgrid.js'), 'simulate', ...args],
    { cwd: PROJECT_ROOT },
  );
  stops.push(() => child.kill('SIGTERM'));
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    // The JSON may span lines; it is complete once it parses.
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      try {
        resolve(JSON.parse(stdout) as Endpoint[]);
      } catch {
        // not complete yet
      }
    });
    child.once('exit', (code) => reject(new Error(`simulate exited ${code}: ${stderr}`)));
  });
}

describe('microgrid simulate --opcua-port', () => {
  it('serves the battery container, readable with the station CLI once trusted', async () => {
    const dir = tempDir();
    const endpoints = await startSimulate([
      '--base-port',
      '0',
      '--opcua-port',
      '0',
      '--json',
      '--data-dir',
      join(dir, 'sim'),
    ]);
    const battery = endpoints.find((e) => e.deviceId === 'battery-container');
    expect(battery).toMatchObject({
      role: 'battery',
      url: expect.stringMatching(/^opc\.tcp:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(battery?.opcua?.username).toBe('operator');
    expect(endpoints.filter((e) => e.url.startsWith('modbus-tcp://')).length).toBe(25);

    const passwordFile = join(dir, 'password');
    writeFileSync(passwordFile, `${battery!.opcua!.password}\n`);
    const stationDir = await stationDataDir();
    const args = [
      'read',
      battery!.url,
      '--node',
      battery!.opcua!.nodes.stateOfChargePct!,
      '--user',
      'operator',
      '--password-file',
      passwordFile,
      '--json',
      '--data-dir',
      stationDir,
    ];
    const refused = await runCli(args, { timeoutMs: 30_000 });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/not trusted/);
    const read = await runCli([...args, '--trust-server'], { timeoutMs: 30_000 });
    expect(read.stderr).toBe('');
    const result = JSON.parse(read.stdout) as {
      values: Array<{ value: number; statusCode: string }>;
    };
    expect(result.values[0]).toMatchObject({ statusCode: 'Good' });
    expect(result.values[0]!.value).toBeGreaterThanOrEqual(0);
    expect(result.values[0]!.value).toBeLessThanOrEqual(100);
  }, 60_000);
});
