// Alarm history in station.db: every alarm ever raised, with when it cleared and who
// acknowledged it. The open ones are loaded back at start, so a restart neither loses an
// unacknowledged alarm nor raises it twice.
import type { Migration, SqlDatabase } from '../storage/sql-port';
import type { Alarm, Severity } from './alarm-engine';

export const alarmMigrations: Migration[] = [
  {
    scope: 'alarms',
    version: 1,
    description: 'alarm history',
    up: (db) =>
      db.exec(`CREATE TABLE alarms (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        kind TEXT NOT NULL,
        severity TEXT NOT NULL,
        source TEXT NOT NULL,
        message TEXT NOT NULL,
        raised_at_ms INTEGER NOT NULL,
        cleared_at_ms INTEGER,
        acked_at_ms INTEGER,
        acked_by TEXT
      );
      CREATE INDEX alarms_open ON alarms (cleared_at_ms, acked_at_ms);`),
  },
];

interface Row {
  id: number;
  key: string;
  kind: string;
  severity: Severity;
  source: string;
  message: string;
  raised_at_ms: number;
  cleared_at_ms: number | null;
  acked_at_ms: number | null;
  acked_by: string | null;
}

const fromRow = (r: Row): Alarm => ({
  id: r.id,
  key: r.key,
  kind: r.kind,
  severity: r.severity,
  source: r.source,
  message: r.message,
  raisedAtMs: r.raised_at_ms,
  clearedAtMs: r.cleared_at_ms,
  ackedAtMs: r.acked_at_ms,
  ackedBy: r.acked_by,
});

export class AlarmRepository {
  constructor(private readonly db: SqlDatabase) {}

  save(alarm: Alarm): void {
    this.db
      .prepare(
        `INSERT INTO alarms (id, key, kind, severity, source, message, raised_at_ms, cleared_at_ms, acked_at_ms, acked_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET message = excluded.message, cleared_at_ms = excluded.cleared_at_ms,
           acked_at_ms = excluded.acked_at_ms, acked_by = excluded.acked_by`,
      )
      .run(
        alarm.id,
        alarm.key,
        alarm.kind,
        alarm.severity,
        alarm.source,
        alarm.message,
        alarm.raisedAtMs,
        alarm.clearedAtMs,
        alarm.ackedAtMs,
        alarm.ackedBy,
      );
  }

  /** Alarms still listed: active, or cleared but not acknowledged. */
  open(): Alarm[] {
    return this.db
      .prepare<Row>(
        'SELECT * FROM alarms WHERE cleared_at_ms IS NULL OR acked_at_ms IS NULL ORDER BY id',
      )
      .all()
      .map(fromRow);
  }

  nextId(): number {
    return (
      (this.db.prepare<{ id: number | null }>('SELECT MAX(id) AS id FROM alarms').get()?.id ?? 0) +
      1
    );
  }

  /** Newest first. */
  history(beforeId: number | undefined, limit: number): Alarm[] {
    return this.db
      .prepare<Row>('SELECT * FROM alarms WHERE id < ? ORDER BY id DESC LIMIT ?')
      .all(beforeId ?? Number.MAX_SAFE_INTEGER, limit)
      .map(fromRow);
  }
}
