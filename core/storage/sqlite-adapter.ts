import { accessSync, constants, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { SqlDatabase, SqlStatement, SqlValue } from './sql-port';
import { StorageError } from './storage-errors';

export interface OpenOptions {
  /** `full` for records that must survive a power cut; `normal` for telemetry. */
  synchronous: 'full' | 'normal';
  readonly?: boolean;
  /**
   * Path of a better_sqlite3.node built for another ABI. Electron needs its own build
   * (scripts/electron-native.js); plain Node uses the one npm built.
   */
  nativeBinding?: string;
}

/** Opens (creating if needed) a SQLite file in WAL mode behind the storage port. */
export function openSqlite(path: string, options: OpenOptions): SqlDatabase {
  const dir = dirname(path);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (cause) {
    throw new StorageError(`data directory ${dir} is not writable`, 'unwritable', { cause });
  }
  let db: Database.Database;
  try {
    db = new Database(path, {
      readonly: options.readonly ?? false,
      timeout: 5000,
      ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
    });
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    db.pragma('foreign_keys = ON');
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    const code = /locked|busy/i.test(message)
      ? 'locked'
      : /not a database|malformed/i.test(message)
        ? 'corrupt'
        : 'io';
    throw new StorageError(`cannot open database ${path}: ${message}`, code, { cause });
  }
  return wrap(db, path);
}

function wrap(db: Database.Database, path: string): SqlDatabase {
  return {
    path,
    exec: (sql) => void db.exec(sql),
    prepare<Row>(sql: string): SqlStatement<Row> {
      const stmt = db.prepare(sql);
      return {
        run: (...params: SqlValue[]) => stmt.run(...params),
        get: (...params: SqlValue[]) => stmt.get(...params) as Row | undefined,
        all: (...params: SqlValue[]) => stmt.all(...params) as Row[],
      };
    },
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    pragma: (source) => db.pragma(source),
    close: () => {
      if (db.open) db.close();
    },
  };
}
