// microgrid registers and write, run in-process against the demo simulators on loopback
// TCP, with request and write counts taken at a gateway of the test.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DemoMicrogrid } from '../../drivers/sim/demo-microgrid/demo-microgrid';
import { startPausedDemo } from '../support/demo';
import { startSimGateway, type SimGateway } from '../drivers/commissioning/support/sim-gateway';
import { createWriteCommand } from '../../electron/cli/write-command';
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
  grid.devices.get('pv-04')!.image.setPoint(123, 'WMaxLimPct', 100);
});

const urlOf = (deviceId: string) => grid.endpoints.find((e) => e.deviceId === deviceId)!.url;

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
    const no = fakeTerminal({ answer: false });
    const refused = await runWith(createWriteCommand(no), args, true);
    expectOneLineError(refused, 1, /^microgrid: nothing written: not confirmed$/);
    expect(no.questions).toEqual([
      expect.stringMatching(
        /^Write model 123 WMaxLimPct of unit 4 at modbus-tcp:\/\/127\.0\.0\.1:\d+: 100 % WMax → 30 % WMax\?$/,
      ),
    ]);
    expect(g.writes).toEqual([]);
    const yes = fakeTerminal({ answer: true });
    expect((await runWith(createWriteCommand(yes), args, true)).code).toBe(0);
    expect(g.writes).toHaveLength(1);
    // --yes, or no terminal: no question.
    const skip = fakeTerminal({ answer: false });
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
