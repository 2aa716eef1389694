// A few runs of the real `microgrid` process against simulators in this test process:
// proof of the wiring (bin → main → command → drivers → socket), of one-line errors, and of
// Ctrl+C, which only a real process can receive.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoMicrogrid } from '../../drivers/sim/demo-microgrid/demo-microgrid';
import { startPausedDemo } from '../support/demo';
import { PROJECT_ROOT, runCli, waitFor } from '../support/station-process';
import { startSimGateway } from '../drivers/commissioning/support/sim-gateway';

let grid: DemoMicrogrid;
beforeAll(async () => {
  grid = await startPausedDemo(Date.UTC(2026, 5, 21, 11));
});
afterAll(() => grid.stop());

const urlOf = (deviceId: string) => grid.endpoints.find((e) => e.deviceId === deviceId)!.url;

describe('microgrid commissioning commands as processes', () => {
  it('scan --json finds the 12 meters on the gateway port', async () => {
    const run = await runCli([
      'scan',
      urlOf('meter-01'),
      '--units',
      '1-13',
      '--timeout-ms',
      '500',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.units.map((u: { unitId: number }) => u.unitId)).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    expect(report.units[11].identity).toMatchObject({ serialNumber: 'SIM-meter-12' });
  });

  it('an unreachable link is one line on stderr and exit code 1', async () => {
    const g = await startSimGateway({});
    await g.close();
    const run = await runCli(['read', g.url()]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^microgrid: cannot reach modbus-tcp:\/\/127\.0\.0\.1:\d+: connect to 127\.0\.0\.1:\d+ failed: ECONNREFUSED \(nothing accepts connections on that port: check the address and port\)\n$/,
    );
  });

  it('Ctrl+C stops a scan cleanly and prints what it found (exit 130)', async () => {
    // One unit at id 1, then silence: the scan would take 247 × 200 ms.
    const g = await startSimGateway({ 1: grid.devices.get('meter-03')!.image });
    try {
      const child = spawn(
        process.execPath,
        [
          join(PROJECT_ROOT, 'bin', 'microgrid.js'),
          'scan',
          g.url(),
          '--timeout-ms',
          '200',
          '--json',
        ],
        { cwd: PROJECT_ROOT },
      );
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      // Unit 1 identified (several reads) and a few silent ids probed.
      await waitFor(() => (g.requests() >= 8 ? true : undefined), 15_000, 'the scan to get going');
      child.kill('SIGINT');
      const code = await exited;
      expect(code, stderr).toBe(130);
      expect(stderr).toBe('');
      const report = JSON.parse(stdout);
      expect(report).toMatchObject({ complete: false, total: 247, stopped: { code: 'aborted' } });
      expect(report.units.map((u: { unitId: number }) => u.unitId)).toEqual([1]);
    } finally {
      await g.close();
    }
  });
});
