// Backup and restore of station.db (the ledger with the rest of the station's records).
// Backup uses SQLite's `VACUUM INTO`: a consistent online copy taken in one read
// transaction while the station keeps writing, through the storage port (no adapter
// change), compacted and without a -wal file. Restore verifies the copy before anything
// is replaced, refuses while a station has the database open, and keeps the old file.
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { verifyLedger } from '../../core/ledger/ledger-verify';
import type { VerifyCounts } from '../../core/ledger/verify-types';
import { openSqlite } from '../../core/storage/sqlite-adapter';
import { CliError } from './cli-io';
import { databaseInUse, stationDbPath, withLedgerDb } from './ledger-store';
import { describeProblem } from './ledger-verify-text';

export function backupStation(dataDir: string, target: string, key: KeyObject): VerifyCounts {
  const out = resolve(target);
  if (existsSync(out)) throw new CliError(`${out} exists; choose a new file for the backup`);
  const tmp = join(dirname(out), `.${Date.now()}-${process.pid}.backup-tmp`);
  try {
    withLedgerDb(stationDbPath(dataDir), (db) => db.prepare('VACUUM INTO ?').run(tmp));
    const counts = verifyFile(tmp, key, 'the backup');
    renameSync(tmp, out);
    return counts;
  } finally {
    rmSync(tmp, { force: true });
  }
}

export interface RestoreResult {
  restored: VerifyCounts;
  /** Where the replaced station.db was kept, or null if there was none. */
  previous: string | null;
}

export function restoreStation(
  dataDir: string,
  source: string,
  key: KeyObject,
  force: boolean,
): RestoreResult {
  const from = resolve(source);
  if (!existsSync(from)) throw new CliError(`no backup at ${from}`);
  const live = stationDbPath(dataDir);
  if (databaseInUse(live))
    throw new CliError(`${live} is in use (a running station?); stop it before restoring`);
  // Verify a copy: opening a file in WAL mode writes to it, and the backup stays untouched.
  const tmp = join(dataDir, `.restore-${Date.now()}-${process.pid}.db`);
  try {
    copyFileSync(from, tmp);
    const restored = verifyFile(tmp, key, `backup ${from}`);
    const current = existsSync(live) ? currentEntries(live) : 0;
    if (current > restored.entries && !force)
      throw new CliError(
        `the backup has ${restored.entries} entries, the current ledger ${current}: restoring drops ${current - restored.entries} acknowledged entries; add --force to restore anyway`,
      );
    let previous: string | null = null;
    if (existsSync(live)) {
      previous = `${live}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(live, previous);
      // A clean close leaves no -wal/-shm; if some remain they belong to the old file.
      for (const suffix of ['-wal', '-shm'])
        if (existsSync(live + suffix)) renameSync(live + suffix, previous + suffix);
    }
    renameSync(tmp, live);
    return { restored, previous };
  } finally {
    rmSync(tmp, { force: true });
    rmSync(`${tmp}-wal`, { force: true });
    rmSync(`${tmp}-shm`, { force: true });
  }
}

function verifyFile(path: string, key: KeyObject, what: string): VerifyCounts {
  const result = withLedgerDb(path, (db) => verifyLedger(db, key));
  if (!result.ok) throw new CliError(`${what} does not verify: ${describeProblem(result.error)}`);
  return result.value;
}

function currentEntries(path: string): number {
  const db = openSqlite(path, { synchronous: 'full' });
  try {
    return (
      db.prepare<{ n: number | null }>('SELECT MAX(seq) AS n FROM ledger_entries').get()?.n ?? 0
    );
  } catch {
    return 0;
  } finally {
    db.close();
  }
}
