import type { Migration, SqlDatabase } from './sql-port';
import { StorageError } from './storage-errors';

// Each module (site, telemetry, later ledger) brings its own numbered migrations; the
// applied version per scope is kept in schema_version. A database written by a newer
// station is refused instead of being half-understood.
export function applyMigrations(db: SqlDatabase, migrations: readonly Migration[]): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS schema_version (scope TEXT PRIMARY KEY, version INTEGER NOT NULL, applied_at_ms INTEGER NOT NULL)',
  );
  const current = db.prepare<{ version: number }>(
    'SELECT version FROM schema_version WHERE scope = ?',
  );
  const record = db.prepare(
    'INSERT INTO schema_version (scope, version, applied_at_ms) VALUES (?, ?, ?) ON CONFLICT(scope) DO UPDATE SET version = excluded.version, applied_at_ms = excluded.applied_at_ms',
  );
  const scopes = [...new Set(migrations.map((m) => m.scope))];
  for (const scope of scopes) {
    const steps = migrations.filter((m) => m.scope === scope).sort((a, b) => a.version - b.version);
    const known = steps.at(-1)?.version ?? 0;
    const applied = current.get(scope)?.version ?? 0;
    if (applied > known) {
      throw new StorageError(
        `${db.path}: schema '${scope}' is at version ${applied}, newer than this station understands (${known}); upgrade the station`,
        'newer_schema',
      );
    }
    for (const step of steps) {
      if (step.version <= applied) continue;
      db.transaction(() => {
        step.up(db);
        record.run(scope, step.version, Date.now());
      });
    }
  }
}
