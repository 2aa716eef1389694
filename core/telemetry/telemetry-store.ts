// Telemetry in SQLite: raw samples per poll, rolled up into one-minute mean/min/max rows,
// pruned by the retention policy. Lives in its own database file (synchronous=NORMAL):
// losing the last second of telemetry in a power cut is acceptable, slowing the ledger's
// fsyncs with telemetry volume is not.
import type { HistoryQuery, HistorySeries } from '../api/station-api';
import type { Migration, SqlDatabase, SqlStatement } from '../storage/sql-port';
import { DEFAULT_RETENTION, MINUTE_MS, planHistory, type RetentionPolicy } from './retention';

export const telemetryMigrations: Migration[] = [
  {
    scope: 'telemetry',
    version: 1,
    description: 'points, raw samples, minute aggregates',
    up: (db) =>
      db.exec(`
        CREATE TABLE telemetry_point (id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, unit TEXT NOT NULL);
        CREATE TABLE telemetry_raw (
          point_id INTEGER NOT NULL, ts_ms INTEGER NOT NULL, value REAL NOT NULL,
          PRIMARY KEY (point_id, ts_ms)) WITHOUT ROWID;
        CREATE TABLE telemetry_1m (
          point_id INTEGER NOT NULL, minute_ms INTEGER NOT NULL,
          mean REAL NOT NULL, min REAL NOT NULL, max REAL NOT NULL, count INTEGER NOT NULL,
          PRIMARY KEY (point_id, minute_ms)) WITHOUT ROWID;
        CREATE TABLE telemetry_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      `),
  },
];

export interface TelemetrySample {
  key: string;
  unit: string;
  value: number;
}

type Bucket = { t: number; mean: number; min: number; max: number };

export class TelemetryStore {
  private readonly pointIds = new Map<string, number>();
  private readonly insertRaw: SqlStatement;
  private readonly insertPoint: SqlStatement<{ id: number }>;

  constructor(
    private readonly db: SqlDatabase,
    private readonly policy: RetentionPolicy = DEFAULT_RETENTION,
  ) {
    this.insertRaw = db.prepare(
      'INSERT OR REPLACE INTO telemetry_raw (point_id, ts_ms, value) VALUES (?, ?, ?)',
    );
    this.insertPoint = db.prepare<{ id: number }>(
      'INSERT INTO telemetry_point (key, unit) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET unit = excluded.unit RETURNING id',
    );
    for (const row of db
      .prepare<{ id: number; key: string }>('SELECT id, key FROM telemetry_point')
      .all()) {
      this.pointIds.set(row.key, row.id);
    }
  }

  /** Stores one poll cycle's samples in one transaction. Non-finite values are dropped. */
  append(tsMs: number, samples: readonly TelemetrySample[]): void {
    this.db.transaction(() => {
      for (const s of samples) {
        if (!Number.isFinite(s.value)) continue;
        this.insertRaw.run(this.pointIdFor(s.key, s.unit), tsMs, s.value);
      }
    });
  }

  /**
   * Rolls every complete minute since the last run into telemetry_1m and prunes what the
   * retention policy no longer keeps. Safe to call at any rate; catches up after downtime.
   */
  maintain(nowMs: number): void {
    const until = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    const state = this.db.prepare<{ value: number }>(
      "SELECT value FROM telemetry_state WHERE key = 'rolled_until_ms'",
    );
    const oldest = this.db
      .prepare<{ t: number | null }>('SELECT min(ts_ms) AS t FROM telemetry_raw')
      .get()?.t;
    const from =
      state.get()?.value ?? (oldest == null ? until : Math.floor(oldest / MINUTE_MS) * MINUTE_MS);
    this.db.transaction(() => {
      if (until > from) {
        this.db
          .prepare(
            `INSERT INTO telemetry_1m (point_id, minute_ms, mean, min, max, count)
             SELECT point_id, (ts_ms / ${MINUTE_MS}) * ${MINUTE_MS}, avg(value), min(value), max(value), count(*)
             FROM telemetry_raw WHERE ts_ms >= ? AND ts_ms < ? GROUP BY 1, 2
             ON CONFLICT(point_id, minute_ms) DO UPDATE SET mean = excluded.mean, min = excluded.min,
               max = excluded.max, count = excluded.count`,
          )
          .run(from, until);
      }
      this.db
        .prepare(
          "INSERT OR REPLACE INTO telemetry_state (key, value) VALUES ('rolled_until_ms', ?)",
        )
        .run(Math.max(from, until));
      const pruneRaw = this.db.prepare(
        'DELETE FROM telemetry_raw WHERE point_id = ? AND ts_ms < ?',
      );
      const pruneMinute = this.db.prepare(
        'DELETE FROM telemetry_1m WHERE point_id = ? AND minute_ms < ?',
      );
      // Per point, so each delete is a range scan of the primary key, not of the table.
      for (const id of this.pointIds.values()) {
        pruneRaw.run(id, Math.min(nowMs - this.policy.rawRetentionMs, until));
        pruneMinute.run(id, nowMs - this.policy.minuteRetentionMs);
      }
    });
  }

  history(query: HistoryQuery, nowMs: number): HistorySeries {
    const plan = planHistory(query, nowMs, this.policy);
    const id = this.pointIds.get(query.point);
    const unit = id === undefined ? '' : this.unitOf(id);
    if (id === undefined)
      return {
        point: query.point,
        unit,
        resolution: plan.resolution,
        bucketMs: plan.bucketMs,
        samples: [],
      };
    // Inlined, not bound: the SQLite driver binds JS numbers as REAL, which would turn the
    // integer division that forms buckets into a float division.
    const b = Math.trunc(plan.bucketMs);
    const rows =
      plan.resolution === 'raw'
        ? this.db
            .prepare<Bucket>(
              `SELECT (ts_ms / ${b}) * ${b} AS t, avg(value) AS mean, min(value) AS min, max(value) AS max
               FROM telemetry_raw WHERE point_id = ? AND ts_ms >= ? AND ts_ms <= ? GROUP BY t ORDER BY t`,
            )
            .all(id, query.fromMs, query.toMs)
        : this.db
            .prepare<Bucket>(
              `SELECT (minute_ms / ${b}) * ${b} AS t, sum(mean * count) / sum(count) AS mean, min(min) AS min, max(max) AS max
               FROM telemetry_1m WHERE point_id = ? AND minute_ms >= ? AND minute_ms <= ? GROUP BY t ORDER BY t`,
            )
            .all(id, query.fromMs, query.toMs);
    return {
      point: query.point,
      unit,
      resolution: plan.resolution,
      bucketMs: b,
      samples: rows.map((r) => ({ tsMs: r.t, value: r.mean, min: r.min, max: r.max })),
    };
  }

  private unitOf(id: number): string {
    return (
      this.db.prepare<{ unit: string }>('SELECT unit FROM telemetry_point WHERE id = ?').get(id)
        ?.unit ?? ''
    );
  }

  private pointIdFor(key: string, unit: string): number {
    const known = this.pointIds.get(key);
    if (known !== undefined) return known;
    const row = this.insertPoint.get(key, unit);
    if (!row) throw new Error(`telemetry: could not register point ${key}`);
    this.pointIds.set(key, row.id);
    return row.id;
  }
}
