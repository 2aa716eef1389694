// Ledger tables (scope 'ledger'). Columns other than body/header are copies for queries;
// the canonical JSON text is what is hashed, and verification checks the copies against
// it. Triggers refuse UPDATE and DELETE so the station itself cannot rewrite history by
// mistake; someone with the file can drop them, which is what verification is for.
import type { Migration, SqlDatabase } from '../storage/sql-port';

export const LEDGER_TABLES = ['ledger_entries', 'ledger_blocks'] as const;

function appendOnly(db: SqlDatabase, table: string): void {
  for (const op of ['UPDATE', 'DELETE'])
    db.exec(
      `CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table}
       BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`,
    );
}

export const ledgerMigrations: readonly Migration[] = [
  {
    scope: 'ledger',
    version: 1,
    description: 'hash-chained entries and signed blocks, append-only',
    up(db) {
      db.exec(`
        CREATE TABLE ledger_entries (
          seq INTEGER PRIMARY KEY,
          hash TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          time_ms INTEGER NOT NULL,
          kind TEXT NOT NULL,
          member_id TEXT,
          amount_minor INTEGER,
          balance_after_minor INTEGER,
          body TEXT NOT NULL
        ) STRICT;
        CREATE INDEX ledger_entries_member ON ledger_entries (member_id, seq);
        CREATE INDEX ledger_entries_time ON ledger_entries (time_ms);
        CREATE TABLE ledger_blocks (
          height INTEGER PRIMARY KEY,
          hash TEXT NOT NULL,
          prev_hash TEXT NOT NULL,
          merkle_root TEXT NOT NULL,
          time_ms INTEGER NOT NULL,
          first_seq INTEGER NOT NULL,
          entry_count INTEGER NOT NULL,
          signer_key_id TEXT NOT NULL,
          signature TEXT NOT NULL,
          header TEXT NOT NULL
        ) STRICT;`);
      for (const table of LEDGER_TABLES) appendOnly(db, table);
    },
  },
];
