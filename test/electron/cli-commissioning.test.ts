// microgrid scan and read, run in-process (main() with a captured CliIo, or a command with a
// fake terminal) against the demo simulators on loopback TCP. Registers and write are in
// cli-commissioning-write.test.ts, spawned end-to-end runs in cli-commissioning-e2e.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DemoMicrogrid } from '../../drivers/sim/demo-microgrid/demo-microgrid';
import { startPausedDemo } from '../support/demo';
import { startSimGateway, type SimGateway } from '../drivers/commissioning/support/sim-gateway';
import { getModelDef } from '../../drivers/sunspec/model-table';
import { createScanCommand } from '../../electron/cli/scan-command';
import {
  cli,
  expectOneLineError,
  fakeTerminal,
  runWith,
} from '../drivers/commissioning/support/cli-run';

let grid: DemoMicrogrid;
const gateways: SimGateway[] = [];
beforeAll(async () => {
  grid = await startPausedDemo(Date.UTC(2026, 5, 21, 11));
});
afterAll(() => grid.stop());
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
});

const urlOf = (deviceId: string) => grid.endpoints.find((e) => e.deviceId === deviceId)!.url;

describe('microgrid scan', () => {
  it('--json lists exactly the 12 meters of the gateway port with identity', async () => {
    const run = await cli([
      'scan',
      urlOf('meter-01'),
      '--units',
      '1-14',
      '--timeout-ms',
      '250',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ probed: 14, total: 14, complete: true, stopped: null });
    expect(report.units.map((u: any) => u.identity.serialNumber)).toEqual(
      Array.from({ length: 12 }, (_, i) => `SIM-meter-${String(i + 1).padStart(2, '0')}`),
    );
    expect(report.units[0].sunspec.models.map((m: any) => m.id)).toEqual([1, 203]);
  });

  it('prints a block per unit and a summary', async () => {
    const run = await cli(['scan', urlOf('grid-meter'), '--units', '1,2', '--timeout-ms', '250']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(
      'unit 1  Microgrid Station · Sim Meter 203 · serial SIM-grid-meter · version 1.0.0',
    );
    expect(lines.slice(1, 4)).toEqual([
      '  SunSpec at 40000:',
      '    model   1  common         at 40002  L=66',
      '    model 203  ac_meter_abcn  at 40070  L=105',
    ]);
    expect(lines[4]).toMatch(
      /^1 unit answers on modbus-tcp:\/\/127\.0\.0\.1:\d+ \(probed 2 of 2 unit ids in \d+\.\d s\)\.$/,
    );
  });

  it('shows one updating progress line on a TTY and stops cleanly at Ctrl+C', async () => {
    // Ctrl+C while unit 3 is being probed.
    const terminal = fakeTerminal({ interruptAt: ': unit 3 ' });
    const run = await runWith(
      createScanCommand(terminal),
      [urlOf('meter-01'), '--units', '1-6'],
      true,
    );
    expect(run.code).toBe(130);
    // Each update erases the line first (CR, then "erase line").
    const erase = '\r\x1b[2K';
    expect(terminal.writes.every((w) => w.startsWith(erase))).toBe(true);
    expect(terminal.writes[0]!.slice(erase.length)).toMatch(
      /^Scanning modbus-tcp:\/\/127\.0\.0\.1:\d+: unit 1 \(1 of 6\), 0 found$/,
    );
    expect(terminal.writes[2]).toMatch(/: unit 3 \(3 of 6\), 2 found$/);
    expect(terminal.writes.at(-1)).toBe(erase);
    expect(run.stdout).toMatch(/^unit 1 /);
    expect(run.stdout).toMatch(
      /\n2 units answer on .* \(probed 2 of 6 unit ids in .*\)\.\nStopped by Ctrl\+C: the rest was not probed\.$/,
    );
  });

  it('writes no progress with --json, even on a TTY', async () => {
    const terminal = fakeTerminal();
    const run = await runWith(
      createScanCommand(terminal),
      [urlOf('meter-01'), '--units', '1', '--json'],
      true,
    );
    expect(run.code).toBe(0);
    expect(terminal.writes).toEqual([]);
    expect(JSON.parse(run.stdout).units).toHaveLength(1);
  });

  it('refuses bad arguments and unreachable links in one line', async () => {
    expectOneLineError(
      await cli(['scan', urlOf('meter-01'), '--units', '0-5']),
      2,
      /unit ids "0-5": "0-5" is outside the range/,
    );
    expectOneLineError(await cli(['scan']), 2, /scan needs a device URL/);
    expectOneLineError(await cli(['scan', 'http://x/']), 2, /unsupported scheme "http:"/);
    expectOneLineError(await cli(['scan', 'opc.tcp://h:4840/']), 1, /OPC UA endpoint/);
    const g = await startSimGateway({});
    await g.close();
    expectOneLineError(
      await cli(['scan', g.url(), '--units', '1']),
      1,
      /^microgrid: cannot reach modbus-tcp:\/\/127\.0\.0\.1:\d+: connect to .* failed: ECONNREFUSED \(nothing accepts connections on that port/,
    );
  });

  it("passes the serial transport's own refusal on in one line", async () => {
    const run = await cli(['scan', 'modbus-rtu:///dev/ttyMG-none?baud=9600', '--units', '1']);
    // Before the RTU connector: "no Modbus transport"; with it: the port does not exist.
    expectOneLineError(run, 1, /modbus-rtu.*(no Modbus transport|\/dev\/ttyMG-none)/);
  });
});

describe('microgrid read', () => {
  it("prints the meter's model 203 points with units; JSON parses", async () => {
    const run = await cli(['read', urlOf('meter-02'), '--model', '203']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^unit 2 at modbus-tcp:\/\/127\.0\.0\.1:\d+, SunSpec at 40000$/);
    expect(lines[2]).toBe(
      'model 203 ac_meter_abcn — wye-connect three phase (abcn) meter (at 40070, L=105)',
    );
    const def = getModelDef(203)!;
    const shown = def.points.filter((p) => p.type !== 'pad' && p.type !== 'sunssf');
    expect(lines.slice(3)).toHaveLength(shown.length);
    const w = grid.devices.get('meter-02')!.image.getPoint(203, 'W');
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  W\\s+${w}\\s+W$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}PhVphA\s+[\d.]+\s+V$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}WphA\s+null$/));

    const json = await cli(['read', urlOf('meter-02'), '--json']);
    const reading = JSON.parse(json.stdout);
    expect(reading.models.map((m: any) => m.id)).toEqual([1, 203]);
    expect(reading.models[1].points.find((p: any) => p.path === 'W')).toMatchObject({
      value: w,
      units: 'W',
    });
  });

  it('names what is missing in one line', async () => {
    expectOneLineError(
      await cli(['read', urlOf('meter-02'), '--model', '123']),
      1,
      /has no model 123 \(it has 1, 203\)$/,
    );
    expectOneLineError(
      await cli(['read', urlOf('meter-02'), '--model', '9999']),
      1,
      /no definition of model 9999/,
    );
    const base = urlOf('meter-02').replace(/\?unit=2$/, '');
    expectOneLineError(
      await cli(['read', `${base}?unit=99`, '--timeout-ms', '50']),
      1,
      /unit 99 at .* did not answer at 40000, 0 or 50000 \(no reply within 50 ms\)/,
    );
  });
});
