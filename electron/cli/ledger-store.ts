// Opening the ledger in a data directory for the CLI: station.db must exist and hold the
// ledger tables (the station creates them); reading never migrates or creates anything.
import { existsSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { join } from 'node:path';
import { Ledger } from '../../core/ledger/ledger-repository';
import type { LedgerSigner } from '../../core/ledger/signing';
import type { SqlDatabase } from '../../core/storage/sql-port';
import { openSqlite } from '../../core/storage/sqlite-adapter';
import { StorageError } from '../../core/storage/storage-errors';
import { LedgerKeyError, readPublicKeyFile, readStationPublicKey } from '../station/ledger-keys';
import { CliError } from './cli-io';

export const STATION_DB = 'station.db';

export function stationDbPath(dataDir: string): string {
  return join(dataDir, STATION_DB);
}

/** Opens a database file that must already hold a ledger; runs fn and closes it. */
export function withLedgerDb<T>(
  path: string,
  fn: (db: SqlDatabase, ledger: Ledger) => T,
  signer?: LedgerSigner,
): T {
  if (!existsSync(path))
    throw new CliError(`no ledger at ${path} (the station creates it on first start)`);
  let db: SqlDatabase;
  try {
    db = openSqlite(path, { synchronous: 'full' });
  } catch (error) {
    throw new CliError(error instanceof StorageError ? error.message : `cannot open ${path}`);
  }
  try {
    if (!hasLedger(db)) throw new CliError(`${path} holds no ledger tables`);
    return fn(db, new Ledger(db, signer ? { signer } : {}));
  } finally {
    db.close();
  }
}

export function hasLedger(db: SqlDatabase): boolean {
  const row = db
    .prepare<{ n: number }>(
      "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name IN ('ledger_entries', 'ledger_blocks')",
    )
    .get();
  return row?.n === 2;
}

/** --key FILE, else the public key in the data directory. */
export function stationPublicKey(dataDir: string, keyFile: string | undefined): KeyObject {
  try {
    if (keyFile) return readPublicKeyFile(keyFile);
    const key = readStationPublicKey(dataDir);
    if (!key)
      throw new CliError(`no station key in ${join(dataDir, 'keys')}; pass --key PUBKEY_FILE`);
    return key;
  } catch (error) {
    if (error instanceof LedgerKeyError) throw new CliError(error.message);
    throw error;
  }
}

/**
 * Is another process (a running station) using the database? A connection in WAL mode
 * keeps a shared lock, so taking SQLite's exclusive locking mode fails while one is open.
 */
export function databaseInUse(path: string): boolean {
  if (!existsSync(path)) return false;
  const db = openSqlite(path, { synchronous: 'full' });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (error) {
    if (/busy|locked/i.test((error as Error).message)) return true;
    throw error;
  } finally {
    db.close();
  }
}
