import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs('mg-cli-');

/** A user-facing failure: exactly one line, naming the problem, and no stack trace. */
function expectOneLineError(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^microgrid: /);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

// Each test spawns several CLI processes (about 1 s each on an idle machine, several
// seconds on a loaded 2-core CI runner), hence the generous per-file timeout.
describe('microgrid CLI', { timeout: 90_000 }, () => {
  it('prints help and the version, and exits 2 on unknown commands and flags', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/serve\s+run the station headless/);
    expect(help.stdout).toMatch(/simulate/);
    expect((await runCli(['serve', '--help'])).stdout).toMatch(/--port N/);
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expectOneLineError(unknown.stderr, /unknown command "frobnicate"/);
    const badFlag = await runCli(['serve', '--prot', '80']);
    expect(badFlag.code).toBe(2);
    expectOneLineError(badFlag.stderr, /--prot/);
    const badPort = await runCli(['serve', '--port', '99999']);
    expect(badPort.code).toBe(2);
    expectOneLineError(badPort.stderr, /--port must be an integer from 0 to 65535/);
  });

  it('refuses a bad site file with one line naming the field', async () => {
    const dir = tempDir();
    const file = join(dir, 'site.json');
    writeFileSync(file, JSON.stringify({ schemaVersion: 1, id: 'x', name: 'X' }));
    const served = await runCli(['serve', '--site', file, '--data-dir', join(dir, 'data')]);
    expect(served.code).toBe(1);
    expectOneLineError(served.stderr, /invalid site file .*site\.json: timezone/);
    writeFileSync(file, '{ not json');
    const broken = await runCli(['serve', '--site', file, '--data-dir', join(dir, 'data')]);
    expectOneLineError(broken.stderr, /not valid JSON/);
    const missing = await runCli(['site', 'import', join(dir, 'nope.json'), '--data-dir', dir]);
    expect(missing.code).toBe(1);
    expectOneLineError(missing.stderr, /cannot read site file .*nope\.json: ENOENT/);
  });

  it('refuses a busy port with one line', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const served = await runCli(['serve', '--port', String(port), '--data-dir', tempDir()], {
        timeoutMs: 30_000,
      });
      expect(served.code).toBe(1);
      expectOneLineError(served.stderr, new RegExp(`port ${port} is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('refuses an unwritable data dir with one line', async () => {
    // Tests may run as root, which ignores permission bits: a path below a regular file
    // cannot be created by anyone.
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, '');
    const served = await runCli(['serve', '--data-dir', join(file, 'data')]);
    expect(served.code).toBe(1);
    expectOneLineError(served.stderr, /data directory .*plain-file\/data is not writable/);
    const env = await runCli(['serve'], { env: { MICROGRID_DATA_DIR: join(file, 'env-data') } });
    expectOneLineError(env.stderr, /env-data is not writable/);
  });

  it('validates, imports and exports a site file', async () => {
    const dir = tempDir();
    const exported = join(dir, 'exported.json');
    const demo = join(import.meta.dirname, '../../resources/demo/demo-site.json');
    expect((await runCli(['site', 'validate', demo])).stdout).toMatch(
      /valid site "Riverside Housing Co-op" \(21 devices, 13 members\)/,
    );
    expect((await runCli(['site', 'import', demo, '--data-dir', dir])).code).toBe(0);
    expect((await runCli(['site', 'export', exported, '--data-dir', dir])).code).toBe(0);
    const roundTrip = await runCli(['site', 'validate', exported, '--json']);
    expect(JSON.parse(roundTrip.stdout)).toEqual({ ok: true });
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ schemaVersion: 1 }));
    const bad = await runCli(['site', 'validate', join(dir, 'bad.json'), '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).issues.map((i: { path: string }) => i.path)).toContain(
      'timezone',
    );
  });
});
