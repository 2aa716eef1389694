// Every command's arguments pass a zod schema before the command runs: built from the
// command's own options (so no command is left out), with lengths, characters and the
// command's value rules; a refusal is one usage line (exit 2) naming the flag.
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../electron/cli/cli-io';
import { argumentSchema } from '../../electron/cli/cli-schema';
import { COMMANDS } from '../../electron/cli/commands';
import { main } from '../../electron/cli/main';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs('mg-cli-schema-');

async function cli(args: string[]) {
  const err: string[] = [];
  const io: CliIo = { out: () => {}, err: (l) => err.push(l), isTty: false };
  const code = await main(args, io);
  return { code, stderr: err.join('\n') };
}

describe('CLI argument schemas', () => {
  it('exist for every command and accept its own flags', async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const command = await entry.load();
      const values = Object.fromEntries(
        Object.entries(command.options).map(([flag, o]) => [
          flag,
          o.type === 'boolean' ? true : o.multiple ? ['x'] : 'x',
        ]),
      );
      const checked = argumentSchema(command).safeParse({ values, positionals: ['a'] });
      expect(checked.success, name).toBe(true);
    }
  });

  it('refuse control characters, over-long values and too many arguments with one usage line', async () => {
    const dir = tempDir();
    const nul = await cli(['site', 'validate', 'a\u0000b']);
    expect(nul).toMatchObject({ code: 2 });
    expect(nul.stderr).toMatch(/^microgrid: an argument contains control characters/);
    const long = await cli(['site', 'export', '--data-dir', 'x'.repeat(5000)]);
    expect(long.code).toBe(2);
    expect(long.stderr).toMatch(/--data-dir is longer than 4096 characters/);
    const many = await cli(['site', ...Array.from({ length: 20 }, () => 'validate')]);
    expect(many.stderr).toMatch(/too many arguments/);
    const role = await cli(['user', 'role', '--name', 'ana', '--role', 'root', '--data-dir', dir]);
    expect(role).toMatchObject({ code: 2 });
    expect(role.stderr).toMatch(/--role: unknown role "root"; roles: viewer, operator/);
    const host = await cli(['serve', '--host', 'evil host', '--data-dir', dir]);
    expect(host.stderr).toMatch(/--host: must be a host name or an IP address/);
    for (const r of [nul, long, many, role, host]) expect(r.stderr.split('\n')).toHaveLength(1);
  });
});
