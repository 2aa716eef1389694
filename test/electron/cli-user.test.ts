// microgrid user: accounts from the shell (in-process main() with a captured CliIo), stored
// in the data directory's station.db and recorded in its ledger.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../electron/cli/cli-io';
import { main } from '../../electron/cli/main';
import { Ledger } from '../../core/ledger/ledger-repository';
import { openSqlite } from '../../core/storage/sqlite-adapter';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs('mg-cli-user-');

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false };
  const code = await main(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function passwordFile(dir: string, password: string): string {
  const path = join(dir, `pw-${Math.random().toString(36).slice(2)}`);
  writeFileSync(path, `${password}\n`, { mode: 0o600 });
  return path;
}

describe('microgrid user', () => {
  it('adds the first admin, lists, changes role and password, removes; all in the ledger', async () => {
    const dir = tempDir();
    const d = ['--data-dir', dir];
    expect((await cli(['user', 'list', ...d])).stdout).toMatch(/no accounts yet/);
    const pw = passwordFile(dir, 'a long passphrase');
    const added = await cli([
      'user',
      'add',
      '--name',
      'ana',
      '--role',
      'admin',
      '--password-file',
      pw,
      ...d,
    ]);
    expect(added).toMatchObject({ code: 0, stdout: 'added ana as admin' });
    await cli(['user', 'add', '--name', 'ben', '--role', 'viewer', '--password-file', pw, ...d]);
    const listed = await cli(['user', 'list', '--json', ...d]);
    expect(
      JSON.parse(listed.stdout).map((u: { name: string; role: string }) => `${u.name}:${u.role}`),
    ).toEqual(['ana:admin', 'ben:viewer']);
    expect((await cli(['user', 'role', '--name', 'ben', '--role', 'operator', ...d])).stdout).toBe(
      'ben is now operator',
    );
    const pw2 = passwordFile(dir, 'another passphrase');
    expect(
      (await cli(['user', 'passwd', '--name', 'ben', '--password-file', pw2, ...d])).code,
    ).toBe(0);
    expect((await cli(['user', 'remove', '--name', 'ben', ...d])).stdout).toBe('removed ben');

    const db = openSqlite(join(dir, 'station.db'), { synchronous: 'full' });
    try {
      const row = db
        .prepare<{ password_hash: string }>('SELECT password_hash FROM users WHERE name = ?')
        .get('ana');
      expect(row?.password_hash).toMatch(/^scrypt\$15\$/);
      const entries = new Ledger(db).entriesAfter(0, 1000).filter((e) => e.entry.kind === 'audit');
      const events = JSON.stringify(entries);
      for (const e of ['user-added', 'user-changed', 'user-removed']) expect(events).toContain(e);
      expect(events).toMatch(/cli:/);
      expect(events).not.toContain('a long passphrase');
    } finally {
      db.close();
    }
  });

  it('refuses bad input with one clear line and changes nothing', async () => {
    const dir = tempDir();
    const d = ['--data-dir', dir];
    const pw = passwordFile(dir, 'a long passphrase');
    const weak = passwordFile(dir, 'short');
    const cases: [string[], RegExp][] = [
      [['user', 'add', '--role', 'admin', '--password-file', pw], /needs --name/],
      [['user', 'add', '--name', 'ana', '--password-file', pw], /needs --role/],
      [
        ['user', 'add', '--name', 'ana', '--role', 'root', '--password-file', pw],
        /unknown role "root"/,
      ],
      [['user', 'add', '--name', 'ana', '--role', 'admin'], /needs --password-file/],
      [
        ['user', 'add', '--name', 'ana', '--role', 'admin', '--password-file', join(dir, 'none')],
        /cannot read password file .*ENOENT/,
      ],
      [
        ['user', 'add', '--name', 'ana', '--role', 'admin', '--password-file', weak],
        /at least 10 characters/,
      ],
      [
        ['user', 'add', '--name', 'a b', '--role', 'admin', '--password-file', pw],
        /user name is 1–32/,
      ],
      [['user', 'remove', '--name', 'nobody'], /no user called nobody/],
      [['user', 'frobnicate'], /unknown user action "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const r = await cli([...args, ...d]);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect((await cli(['user', 'list', '--json', ...d])).stdout).toBe('[]');
    await cli(['user', 'add', '--name', 'ana', '--role', 'admin', '--password-file', pw, ...d]);
    const last = await cli(['user', 'remove', '--name', 'ana', ...d]);
    expect(last.stderr).toMatch(/at least one admin/);
  });
});
