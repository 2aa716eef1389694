// microgrid ledger …: in-process through main() with a captured CliIo, on a data dir whose
// station.db holds a ledger signed with the data dir's key; one spawned run as a user would.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openLedger } from '../../core/ledger/ledger-repository';
import { openSqlite } from '../../core/storage/sqlite-adapter';
import type { CliIo } from '../../electron/cli/cli-io';
import { main } from '../../electron/cli/main';
import { loadOrCreateStationKey } from '../../electron/station/ledger-keys';
import { populate } from '../core/ledger/ledger-fixture';
import { runCli } from '../support/station-process';
import { useTempDirs } from '../support/temp-dir';

const tempDir = useTempDirs('mg-cli-ledger-');

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), isTty: false };
  const code = await main(args, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

function expectOneLineError(run: { code: number; stderr: string }, code: number, pattern: RegExp) {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stderr.split('\n'), run.stderr).toHaveLength(1);
  expect(run.stderr).toMatch(/^microgrid: /);
  expect(run.stderr).toMatch(pattern);
}

/** A data dir as the station leaves it: key files and station.db with blocks and a pending tail. */
function stationDir(): string {
  const dir = tempDir();
  const key = loadOrCreateStationKey(dir);
  const db = openSqlite(join(dir, 'station.db'), { synchronous: 'full' });
  populate(openLedger(db, { signer: key.signer }));
  db.close();
  return dir;
}

function tamper(dir: string, sql: string): void {
  const db = new Database(join(dir, 'station.db'));
  db.exec('DROP TRIGGER ledger_entries_no_update; DROP TRIGGER ledger_entries_no_delete');
  db.exec(sql);
  db.close();
}

describe('microgrid ledger verify', () => {
  it('exits 0 with counts, as text and as JSON', async () => {
    const dir = stationDir();
    const text = await cli(['ledger', 'verify', '--data-dir', dir]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(
      /^ledger ok: 4 blocks .* 11 entries \(8 sealed, 3 pending\), 3 member accounts/,
    );
    const json = await cli(['ledger', 'verify', '--data-dir', dir, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: true,
      blocks: 4,
      entries: 11,
      head: { height: 3, entries: 11 },
    });
  });

  it('names the first bad entry and what is wrong, in one line, exit 1', async () => {
    const dir = stationDir();
    tamper(dir, "UPDATE ledger_entries SET body = replace(body, '5000', '50000') WHERE seq = 1");
    const run = await cli(['ledger', 'verify', '--data-dir', dir]);
    expectOneLineError(run, 1, /ledger verification failed: hash_mismatch at block 1, entry 1: /);
    const json = await cli(['ledger', 'verify', '--data-dir', dir, '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      ok: false,
      problem: { code: 'hash_mismatch', block: 1, entry: 1 },
    });
  });

  it('with a witness, catches entries cut off the end', async () => {
    const dir = stationDir();
    const head = JSON.parse((await cli(['ledger', 'verify', '--data-dir', dir, '--json'])).stdout);
    const witness = join(tempDir(), 'head.json');
    writeFileSync(witness, JSON.stringify(head));
    tamper(dir, 'DELETE FROM ledger_entries WHERE seq = 11');
    expect((await cli(['ledger', 'verify', '--data-dir', dir])).code).toBe(0);
    const run = await cli(['ledger', 'verify', '--data-dir', dir, '--witness', witness]);
    expectOneLineError(run, 1, /witness_mismatch at entry 11: the ledger ends at entry 10/);
  });

  it('refuses a key that did not sign the blocks', async () => {
    const dir = stationDir();
    const other = loadOrCreateStationKey(tempDir());
    const run = await cli(['ledger', 'verify', '--data-dir', dir, '--key', other.publicKeyPath]);
    expectOneLineError(run, 1, /unknown_key at block 0/);
  });

  it('says where there is no ledger, and usage errors exit 2', async () => {
    const empty = tempDir();
    expectOneLineError(
      await cli(['ledger', 'verify', '--data-dir', empty]),
      1,
      /no station key|no ledger/,
    );
    expectOneLineError(await cli(['ledger']), 2, /ledger needs an action/);
    expectOneLineError(
      await cli(['ledger', 'frobnicate']),
      2,
      /unknown ledger action "frobnicate"/,
    );
    expectOneLineError(await cli(['ledger', 'check-proof', 'x.json']), 2, /needs --key/);
    expectOneLineError(
      await cli(['ledger', 'statement', '--member', 'alice', '--out', empty]),
      2,
      /needs --from/,
    );
    expectOneLineError(
      await cli([
        'ledger',
        'statement',
        '--member',
        'a',
        '--from',
        'yesterday',
        '--to',
        '2025-01-01',
        '--out',
        empty,
      ]),
      2,
      /--from must be ISO 8601/,
    );
  });
});

describe('microgrid ledger statement and check-proof', () => {
  const range = ['--from', '2025-06-01T00:00:00Z', '--to', '2025-06-02T00:00:00Z'];

  it('writes CSV, HTML and a proof that check-proof accepts with only the public key', async () => {
    const dir = stationDir();
    const out = join(tempDir(), 'statements');
    const run = await cli([
      'ledger',
      'statement',
      '--data-dir',
      dir,
      '--member',
      'alice',
      ...range,
      '--out',
      out,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    // alice: top-up 5000, trade, settlement −198, fee −50 (sealed); top-up 700 (pending).
    expect(summary).toMatchObject({
      entries: 5,
      pending: 1,
      openingBalanceMinor: 0,
      closingBalanceMinor: 5452,
    });
    const csv = readFileSync(summary.files.csv, 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'seq,time_utc,kind,description,amount_minor,balance_after_minor,block,entry_hash',
    );
    expect(csv).toMatch(/bought from bob: 1200 Wh/);
    expect(csv).toMatch(/,700,5452,pending,/);
    const html = readFileSync(summary.files.html, 'utf8');
    expect(html).toMatch(/1 entry is not sealed into a block yet/);
    const proof = JSON.parse(readFileSync(summary.files.proof, 'utf8'));
    expect(proof.unproven).toHaveLength(1);

    const key = join(dir, 'keys', 'ledger-ed25519.pub.pem');
    const check = await cli(['ledger', 'check-proof', summary.files.proof, '--key', key]);
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(
      /^proof ok: 4 entries of alice in 3 blocks .* balance 4752 minor units; 1 entries pending/,
    );

    proof.entries[0].entry.amountMinor = 500000;
    const forged = join(out, 'forged.json');
    writeFileSync(forged, JSON.stringify(proof));
    expectOneLineError(
      await cli(['ledger', 'check-proof', forged, '--key', key]),
      1,
      /hash_mismatch at entry 1/,
    );

    const other = loadOrCreateStationKey(tempDir());
    expectOneLineError(
      await cli(['ledger', 'check-proof', summary.files.proof, '--key', other.publicKeyPath]),
      1,
      /unknown_key at block 1/,
    );
  });

  it('--seal seals pending entries first, so every entry is proven', async () => {
    const dir = stationDir();
    const out = tempDir();
    const run = await cli([
      'ledger',
      'statement',
      '--data-dir',
      dir,
      '--member',
      'carol',
      ...range,
      '--out',
      out,
      '--seal',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout);
    expect(summary).toMatchObject({ entries: 2, pending: 0, closingBalanceMinor: 880 });
    const check = await cli([
      'ledger',
      'check-proof',
      summary.files.proof,
      '--key',
      join(dir, 'keys', 'ledger-ed25519.pub.pem'),
      '--json',
    ]);
    expect(JSON.parse(check.stdout)).toMatchObject({
      ok: true,
      entries: 2,
      unproven: 0,
      closingBalanceMinor: 880,
    });
  });
});

describe('microgrid ledger backup, restore and export', () => {
  it('backs up a verified copy and restores it, keeping the replaced file', async () => {
    const dir = stationDir();
    const backup = join(tempDir(), 'ledger-backup.db');
    const run = await cli(['ledger', 'backup', backup, '--data-dir', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/backed up 11 entries in 4 blocks/);
    expectOneLineError(await cli(['ledger', 'backup', backup, '--data-dir', dir]), 1, /exists/);

    tamper(dir, 'DELETE FROM ledger_entries WHERE seq = 3');
    const restored = await cli(['ledger', 'restore', backup, '--data-dir', dir]);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(
      /restored 11 entries .* previous database is kept as .*before-restore/,
    );
    expect(readdirSync(dir).some((f) => f.startsWith('station.db.before-restore-'))).toBe(true);
    expect((await cli(['ledger', 'verify', '--data-dir', dir])).code).toBe(0);
  });

  it('refuses a backup that does not verify, and leaves station.db alone', async () => {
    const dir = stationDir();
    const backupDir = stationDir();
    tamper(backupDir, "UPDATE ledger_entries SET member_id = 'mallory' WHERE seq = 2");
    // Signed by another station's key too, but the column edit is found first.
    const run = await cli(['ledger', 'restore', join(backupDir, 'station.db'), '--data-dir', dir]);
    expectOneLineError(run, 1, /does not verify: (unknown_key|column_mismatch)/);
    expect(readdirSync(dir).filter((f) => f.includes('before-restore'))).toEqual([]);
    expect((await cli(['ledger', 'verify', '--data-dir', dir])).code).toBe(0);
  });

  it('refuses to drop acknowledged entries without --force, and while the database is open', async () => {
    const dir = stationDir();
    const backup = join(tempDir(), 'b.db');
    expect((await cli(['ledger', 'backup', backup, '--data-dir', dir])).code).toBe(0);
    const db = openSqlite(join(dir, 'station.db'), { synchronous: 'full' });
    const key = loadOrCreateStationKey(dir);
    openLedger(db, { signer: key.signer }).append({
      kind: 'audit',
      timeMs: 1,
      payload: { actor: 'op', event: 'login' },
    });
    expectOneLineError(
      await cli(['ledger', 'restore', backup, '--data-dir', dir]),
      1,
      /in use \(a running station\?\)/,
    );
    db.close();
    expectOneLineError(
      await cli(['ledger', 'restore', backup, '--data-dir', dir]),
      1,
      /drops 1 acknowledged entries; add --force/,
    );
    expect((await cli(['ledger', 'restore', backup, '--data-dir', dir, '--force'])).code).toBe(0);
  });

  it('exports every entry as a JSON line with its hash and block', async () => {
    const dir = stationDir();
    const run = await cli(['ledger', 'export', '--data-dir', dir]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(11);
    expect(lines.map((l) => l.block)).toEqual([1, 1, 1, 2, 2, 2, 3, 3, null, null, null]);
    expect(lines[0].entry).toMatchObject({
      seq: 1,
      kind: 'top-up',
      memberId: 'alice',
      amountMinor: 5000,
    });
  });

  it('spawned: verify exits non-zero with one line on stderr', async () => {
    const dir = stationDir();
    tamper(dir, 'DELETE FROM ledger_entries WHERE seq = 5');
    const run = await runCli(['ledger', 'verify', '--data-dir', dir]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(
      /^microgrid: ledger verification failed: missing_entry at block 2, entry 5: entry 5 is missing/,
    );
    expect(existsSync(join(dir, 'keys', 'ledger-ed25519.pem'))).toBe(true);
  });
});
