// microgrid market clear: in-process (main() with a captured CliIo and a fake stdin) and
// one spawned run that reads stdin, as a user's pipe would.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../electron/cli/cli-io';
import { main } from '../../electron/cli/main';
import { createMarketCommand } from '../../electron/cli/market-command';
import { PROJECT_ROOT } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs('mg-cli-market-');

const BOOK = {
  feedInTariff: 0.08,
  retailTariff: '0.30',
  gridFee: 0.02,
  orders: [
    { id: 'b1', member: 'alice', side: 'buy', energyWh: 3000, price: 0.28 },
    { id: 's1', member: 'bob', side: 'sell', energyWh: 2000, price: 0.1 },
    { id: 'b2', member: 'carol', side: 'buy', energyWh: 2000, price: '0.20' },
    { id: 's2', member: 'dave', side: 'sell', energyWh: 2500, price: 0.15 },
    { id: 's3', member: 'erin', side: 'sell', energyWh: 1000, price: 0.19 },
    { id: 'b3', member: 'frank', side: 'buy', energyWh: 1000, price: 0.16 },
    { id: 'x', member: 'alice', side: 'sell', energyWh: 10, price: 0.1 },
  ],
};

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false };
  return { io, stdout: () => out.join('\n'), stderr: () => err.join('\n') };
}

async function cli(args: string[]) {
  const c = capture();
  const code = await main(args, c.io);
  return { code, stdout: c.stdout(), stderr: c.stderr() };
}

function fileWith(content: unknown): string {
  const file = join(tempDir(), 'book.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function expectOneLineError(run: { code: number; stderr: string }, code: number, pattern: RegExp) {
  expect(run.code, run.stderr).toBe(code);
  const lines = run.stderr.split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^microgrid: /);
  expect(lines[0]).toMatch(pattern);
}

describe('microgrid market clear', { timeout: 60_000 }, () => {
  it('prints the pay-as-clear result in the issue shape, prices in currency per kWh', async () => {
    const run = await cli([
      'market',
      'clear',
      '--mechanism',
      'pay-as-clear',
      '--input',
      fileWith(BOOK),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      mechanism: 'pay-as-clear',
      clearingPrice: 0.165,
      trades: [
        {
          buyOrder: 'b1',
          sellOrder: 's1',
          buyer: 'alice',
          seller: 'bob',
          energyWh: 2000,
          price: 0.165,
        },
        {
          buyOrder: 'b1',
          sellOrder: 's2',
          buyer: 'alice',
          seller: 'dave',
          energyWh: 1000,
          price: 0.165,
        },
        {
          buyOrder: 'b2',
          sellOrder: 's2',
          buyer: 'carol',
          seller: 'dave',
          energyWh: 1500,
          price: 0.165,
        },
      ],
      unmatched: [
        { order: 'b2', energyWh: 500 },
        { order: 's3', energyWh: 1000 },
        { order: 'b3', energyWh: 1000 },
      ],
      rejected: [{ order: 'x', reason: 'opposite_side' }],
    });
    expect(run.stdout).toContain('"price": 0.165');
  });

  it('pay-as-bid prints each seller price and a null clearing price', async () => {
    const stdin = () => Promise.resolve(JSON.stringify(BOOK));
    const c = capture();
    const command = createMarketCommand(stdin);
    const code = await command.run({
      values: { mechanism: 'pay-as-bid' },
      positionals: ['clear'],
      io: c.io,
    });
    expect(code).toBe(0);
    const out = JSON.parse(c.stdout());
    expect(out.clearingPrice).toBeNull();
    expect(out.trades.map((t: any) => t.price)).toEqual([0.26, 0.26, 0.18]);
  });

  it('prints zones and binding links for a book with feeders', async () => {
    const book = {
      feedInTariff: 0.08,
      retailTariff: 0.3,
      members: [
        { id: 'n1', feederId: 'north' },
        { id: 'm1', feederId: 'main' },
      ],
      feeders: [
        { id: 'main', parentId: null, linkCapacityWh: null },
        { id: 'north', parentId: 'main', linkCapacityWh: 1000 },
      ],
      orders: [
        { id: 's', member: 'n1', side: 'sell', energyWh: 3000, price: 0.1 },
        { id: 'b', member: 'm1', side: 'buy', energyWh: 3000, price: 0.28 },
      ],
    };
    const run = await cli([
      'market',
      'clear',
      '--mechanism',
      'pay-as-clear',
      '--input',
      fileWith(book),
    ]);
    const out = JSON.parse(run.stdout);
    expect(out.trades).toEqual([
      { buyOrder: 'b', sellOrder: 's', buyer: 'm1', seller: 'n1', energyWh: 1000, price: 0.19 },
    ]);
    expect(out.bindingLinks).toEqual([{ feeder: 'north', capacityWh: 1000, flowWh: 1000 }]);
    expect(out.zones).toHaveLength(2);
  });

  it('refuses malformed input with one line naming the problem', async () => {
    const clear = (content: unknown) =>
      cli(['market', 'clear', '--mechanism', 'pay-as-clear', '--input', fileWith(content)]);
    expectOneLineError(
      await clear('{ nope'),
      1,
      /invalid market input .*book\.json: not valid JSON/,
    );
    const badEnergy = { ...BOOK, orders: [{ ...BOOK.orders[0], energyWh: '3000' }] };
    expectOneLineError(await clear(badEnergy), 1, /book\.json: orders\[0\]\.energyWh: .*number/);
    const noId = { ...BOOK, orders: [{ ...BOOK.orders[0], id: undefined }] };
    expectOneLineError(await clear(noId), 1, /orders\[0\]\.id/);
    const { retailTariff: _, ...noRetail } = BOOK;
    expectOneLineError(await clear(noRetail), 1, /retailTariff/);
    expectOneLineError(
      await clear({ ...BOOK, feedInTariff: 0.5 }),
      1,
      /feedInTariff: must not be above retailTariff/,
    );
    expectOneLineError(
      await clear({ ...BOOK, gridFee: '2 cents' }),
      1,
      /gridFee: price not a number/,
    );
    expectOneLineError(await clear({ ...BOOK, extra: 1 }), 1, /extra/);
    const missing = await cli([
      'market',
      'clear',
      '--mechanism',
      'pay-as-bid',
      '--input',
      '/nonexistent/book.json',
    ]);
    expectOneLineError(missing, 1, /cannot read .*book\.json: ENOENT/);
    expectOneLineError(
      await cli(['market', 'clear', '--mechanism', 'cheapest']),
      2,
      /--mechanism must be one of pay-as-clear, pay-as-bid/,
    );
    expectOneLineError(await cli(['market', 'settle']), 2, /unknown market action "settle"/);
  });

  it('reads stdin when spawned without --input', async () => {
    const child = spawn(
      process.execPath,
      [join(PROJECT_ROOT, 'bin', 'microgrid.js'), 'market', 'clear', '--mechanism', 'pay-as-clear'],
      { cwd: PROJECT_ROOT },
    );
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stdin.end(JSON.stringify(BOOK));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(JSON.parse(stdout).clearingPrice).toBe(0.165);
  });
});
