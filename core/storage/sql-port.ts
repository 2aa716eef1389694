// The storage port: the small part of SQLite the station uses. Repositories in core/
// depend on this interface only; sqlite-adapter.ts is the one file that imports the
// SQLite driver.

export type SqlValue = number | bigint | string | Buffer | null;

export interface SqlRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqlStatement<Row = unknown> {
  run(...params: SqlValue[]): SqlRunResult;
  get(...params: SqlValue[]): Row | undefined;
  all(...params: SqlValue[]): Row[];
}

export interface SqlDatabase {
  readonly path: string;
  exec(sql: string): void;
  prepare<Row = unknown>(sql: string): SqlStatement<Row>;
  /** Runs fn in one transaction (BEGIN IMMEDIATE … COMMIT), rolling back if it throws. */
  transaction<T>(fn: () => T): T;
  pragma(source: string): unknown;
  close(): void;
}

/** A versioned schema step. Versions are per `scope`, so each module owns its own chain. */
export interface Migration {
  scope: string;
  version: number;
  description: string;
  up(db: SqlDatabase): void;
}
