// microgrid scenario list|run, in-process with a captured CliIo. The run uses --minutes 2
// (120 lockstep cycles): the full scenarios take minutes and belong to the CLI, not here.
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../electron/cli/cli-io';
import { main } from '../../electron/cli/main';

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false };
  const code = await main(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const NAMES = [
  'sunny-day',
  'cloudy-day',
  'evening-peak',
  'night-outage',
  'noon-outage-full-battery',
  'device-failure-outage',
];

describe('microgrid scenario', () => {
  it('lists the scenarios with one line each, and as JSON', async () => {
    const text = await cli(['scenario', 'list']);
    expect(text.code).toBe(0);
    const lines = text.stdout.split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(NAMES);
    const json = await cli(['scenario', 'list', '--json']);
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout) as { name: string; durationS: number }[];
    expect(parsed.map((s) => s.name)).toEqual(NAMES);
    expect(parsed[0]).toMatchObject({ durationS: 86_400, weather: 'clear' });
  });

  it('refuses an unknown name with exit 2 and one line listing the names', async () => {
    const r = await cli(['scenario', 'run', 'blackout']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(1);
    for (const name of NAMES) expect(r.stderr).toContain(name);
    expect((await cli(['scenario', 'run'])).code).toBe(2);
    expect((await cli(['scenario', 'fly'])).code).toBe(2);
    expect((await cli(['scenario', 'run', 'sunny-day', '--minutes', '0'])).code).toBe(2);
  });

  it('runs a scenario and prints the simulator-side summary as JSON', async () => {
    const r = await cli(['scenario', 'run', 'night-outage', '--minutes', '2', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const field of [
      'minSocPct',
      'maxSocPct',
      'socMinLimitPct',
      'socMaxLimitPct',
      'maxImportW',
      'importLimitW',
      'maxExportW',
      'exportLimitW',
      'cyclesOverImportLimit',
      'cyclesOverExportLimit',
      'criticalUnservedWh',
      'criticalServableWh',
      'islandEntryCycles',
      'envelopeViolations',
      'powerBalanceMaxErrorW',
    ])
      expect(s, field).toHaveProperty(field);
    expect(s).toMatchObject({
      scenario: 'night-outage',
      durationS: 120,
      controlCycles: 120,
      islandEntryCycles: null, // the outage starts after the first hour
      powerBalanceMaxErrorW: 0,
    });
  }, 60_000);

  it('prints a readable summary by default', async () => {
    const r = await cli(['scenario', 'run', 'sunny-day', '--minutes', '1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('sunny-day: a clear midsummer day');
    expect(r.stdout).toMatch(/ok +power balance: max error 0 W/);
    expect(r.stdout).toMatch(/ok +island: no outage/);
  }, 60_000);
});
