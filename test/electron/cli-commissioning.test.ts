// The commissioning commands run in-process (main() with a captured CliIo, or a command
// with a fake terminal) against the demo simulators on loopback TCP. Spawned end-to-end
// runs are in cli-commissioning-e2e.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../electron/cli/cli-io';
import { main } from '../../electron/cli/main';
import type { Terminal } from '../../electron/cli/progress';
import { createScanCommand } from '../../electron/cli/scan-command';
import { createWriteCommand } from '../../electron/cli/write-command';
import type { Command } from '../../electron/cli/command';
import type { DemoMicrogrid } from '../../drivers/sim/demo-microgrid/demo-microgrid';
import { getModelDef } from '../../drivers/sunspec/model-table';
import { startPausedDemo } from '../support/demo';
import { startSimGateway, type SimGateway } from '../drivers/commissioning/support/sim-gateway';

let grid: DemoMicrogrid;
const gateways: SimGateway[] = [];
beforeAll(async () => {
  grid = await startPausedDemo(Date.UTC(2026, 5, 21, 11));
});
afterAll(() => grid.stop());
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
  grid.devices.get('pv-04')!.image.setPoint(123, 'WMaxLimPct', 100);
});

const urlOf = (deviceId: string) => grid.endpoints.find((e) => e.deviceId === deviceId)!.url;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function capture(isTty = false): { io: CliIo; run: (code: number) => Run } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (l) => out.push(l), err: (l) => err.push(l), isTty },
    run: (code) => ({ code, stdout: out.join('\n'), stderr: err.join('\n') }),
  };
}

async function cli(args: string[]): Promise<Run> {
  const c = capture();
  return c.run(await main(args, c.io));
}

/** Runs a command built with a fake terminal, the way main() would (errors as one line). */
async function runWith(command: Command, args: string[], isTty: boolean) {
  const { parseArgs } = await import('node:util');
  const c = capture(isTty);
  const parsed = parseArgs({ args, options: command.options, allowPositionals: true });
  try {
    return c.run(await command.run({ ...parsed, io: c.io }));
  } catch (error) {
    c.io.err(`microgrid: ${(error as Error).message}`);
    return c.run((error as { exitCode?: number }).exitCode ?? 1);
  }
}

function fakeTerminal(answer = true): Terminal & { writes: string[]; questions: string[] } {
  const writes: string[] = [];
  const questions: string[] = [];
  const controller = new AbortController();
  return {
    writes,
    questions,
    progress: {
      isTty: true,
      write: (text) => {
        writes.push(text);
        // Ctrl+C while unit 3 is being probed.
        if (text.includes(': unit 3 ')) controller.abort();
      },
    },
    stdinIsTty: true,
    interrupt: () => ({ signal: controller.signal, dispose: () => undefined }),
    confirm: (question) => {
      questions.push(question);
      return Promise.resolve(answer);
    },
  };
}

function expectOneLineError(run: Run, code: number, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(code);
  const lines = run.stderr.split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^microgrid: /);
  expect(lines[0]).toMatch(pattern);
}

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
    const terminal = fakeTerminal();
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
      /^microgrid: cannot reach modbus-tcp:\/\/127\.0\.0\.1:\d+: connect to .* failed: ECONNREFUSED$/,
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

describe('microgrid registers', () => {
  it('prints the SunS marker at 40000 in decimal and hex; JSON parses', async () => {
    const url = urlOf('community-battery');
    const run = await cli(['registers', url, '--address', '40000', '--count', '2']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'address  decimal  hex     chars',
      '40000      21365  0x5375  Su',
      '40001      28243  0x6E53  nS',
    ]);
    const json = await cli(['registers', url, '--address', '40000', '--count', '4', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([
      { address: 40000, value: 21365, hex: '0x5375' },
      { address: 40001, value: 28243, hex: '0x6E53' },
      { address: 40002, value: 1, hex: '0x0001' },
      { address: 40003, value: 66, hex: '0x0042' },
    ]);
  });

  it('refuses counts over 125 before connecting, and names device refusals', async () => {
    const g = await startSimGateway({ 1: grid.devices.get('pv-01')!.image });
    gateways.push(g);
    expectOneLineError(
      await cli(['registers', g.url(), '--address', '40000', '--count', '126']),
      2,
      /count must be 1–125 \(the most one Modbus read can carry\), got 126/,
    );
    expectOneLineError(
      await cli(['registers', g.url(), '--count', '2']),
      2,
      /registers needs --address/,
    );
    expectOneLineError(
      await cli(['registers', g.url(), '--address', '1', '--count', '1', '--function', '6']),
      2,
      /--function must be 3 \(holding\) or 4 \(input\)/,
    );
    expect(g.requests()).toBe(0);
    expectOneLineError(
      await cli(['registers', g.url(), '--address', '0', '--count', '1']),
      1,
      /refused a read of 1 holding registers at 0 \(FC3\): illegal data address \(exception 02\)$/,
    );
    expectOneLineError(
      await cli(['registers', g.url(), '--address', '40000', '--count', '1', '--function', '4']),
      1,
      /illegal function \(exception 01\)$/,
    );
  });
});

describe('microgrid write', () => {
  const pv = () => grid.devices.get('pv-04')!.image;

  it('writes WMaxLimPct and prints the read-back; the simulator holds it', async () => {
    const run = await cli([
      'write',
      urlOf('pv-04'),
      '--model',
      '123',
      '--point',
      'WMaxLimPct',
      '--value',
      '40',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe(
      'model 123 WMaxLimPct: 100 % WMax → 40 % WMax written; the device now reports 40 % WMax',
    );
    expect(pv().getPoint(123, 'WMaxLimPct')).toBe(40);
    const json = await cli([
      'write',
      urlOf('pv-04'),
      '--model',
      '123',
      '--point',
      'WMaxLimPct',
      '--value',
      '70',
      '--json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      modelId: 123,
      point: 'WMaxLimPct',
      oldValue: 40,
      newValue: 70,
      readBack: 70,
      matches: true,
      words: [70],
    });
    expect(pv().getPoint(123, 'WMaxLimPct')).toBe(70);
  });

  it('asks on a TTY, showing old → new, and writes nothing when not confirmed', async () => {
    const g = await startSimGateway({ 4: pv() });
    gateways.push(g);
    const args = [g.url(4), '--model', '123', '--point', 'WMaxLimPct', '--value', '30'];
    const no = fakeTerminal(false);
    const refused = await runWith(createWriteCommand(no), args, true);
    expectOneLineError(refused, 1, /^microgrid: nothing written: not confirmed$/);
    expect(no.questions).toEqual([
      expect.stringMatching(
        /^Write model 123 WMaxLimPct of unit 4 at modbus-tcp:\/\/127\.0\.0\.1:\d+: 100 % WMax → 30 % WMax\?$/,
      ),
    ]);
    expect(g.writes).toEqual([]);
    const yes = fakeTerminal(true);
    expect((await runWith(createWriteCommand(yes), args, true)).code).toBe(0);
    expect(g.writes).toHaveLength(1);
    // --yes, or no terminal: no question.
    const skip = fakeTerminal(false);
    expect((await runWith(createWriteCommand(skip), [...args, '--yes'], true)).code).toBe(0);
    expect((await runWith(createWriteCommand(skip), args, false)).code).toBe(0);
    expect(skip.questions).toEqual([]);
  });

  it('refuses read-only points and out-of-range values without sending anything', async () => {
    const g = await startSimGateway({ 4: pv() });
    gateways.push(g);
    const write = (point: string, value: string, model = '123') =>
      cli(['write', g.url(4), '--model', model, '--point', point, '--value', value]);
    expectOneLineError(await write('W', '5', '103'), 1, /^microgrid: model 103 W is read-only$/);
    expectOneLineError(
      await write('WMaxLimPct', '101'),
      1,
      /^microgrid: model 123 WMaxLimPct: 101 % WMax is outside 0\.\.100 % WMax$/,
    );
    expectOneLineError(
      await write('WMaxLim_Ena', 'ON'),
      1,
      /"ON" is not one of its values \(DISABLED=0, ENABLED=1\)$/,
    );
    expectOneLineError(
      await write('Foo', '1'),
      1,
      /model 123 \(controls\) has no point Foo \(writable: Conn_WinTms/,
    );
    expect(g.requests()).toBe(0);
    expectOneLineError(
      await cli(['write', g.url(4), '--model', '123', '--point', 'WMaxLimPct']),
      2,
      /write needs --value/,
    );
  });

  it('writes enum points by symbol name', async () => {
    const run = await cli([
      'write',
      urlOf('pv-04'),
      '--model',
      '123',
      '--point',
      'WMaxLim_Ena',
      '--value',
      'ENABLED',
    ]);
    expect(run.stdout).toBe(
      'model 123 WMaxLim_Ena: 0 (DISABLED) → 1 (ENABLED) written; the device now reports 1 (ENABLED)',
    );
    expect(pv().getPoint(123, 'WMaxLim_Ena')).toBe(1);
    pv().setPoint(123, 'WMaxLim_Ena', 0);
  });
});
