// The site lives in the station database as one validated JSON document, so what is stored
// is always exactly what an export would write and an import would accept.
import type { Migration, SqlDatabase } from '../storage/sql-port';
import { StorageError } from '../storage/storage-errors';
import { parseSite } from './site-schema';
import type { Site } from './site-types';

export type SiteSource = 'demo' | 'file';

export interface StoredSite {
  site: Site;
  source: SiteSource;
  updatedAtMs: number;
}

export const siteMigrations: Migration[] = [
  {
    scope: 'site',
    version: 1,
    description: 'site document',
    up: (db) =>
      db.exec(`CREATE TABLE site (
        slot INTEGER PRIMARY KEY CHECK (slot = 1),
        document TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('demo', 'file')),
        updated_at_ms INTEGER NOT NULL
      )`),
  },
];

export class SiteRepository {
  constructor(private readonly db: SqlDatabase) {}

  load(): StoredSite | null {
    const row = this.db
      .prepare<{ document: string; source: SiteSource; updated_at_ms: number }>(
        'SELECT document, source, updated_at_ms FROM site WHERE slot = 1',
      )
      .get();
    if (!row) return null;
    const parsed = parseSite(JSON.parse(row.document));
    if (!parsed.ok) {
      throw new StorageError(
        `${this.db.path}: stored site is invalid (${parsed.error.message})`,
        'corrupt',
      );
    }
    return { site: parsed.value, source: row.source, updatedAtMs: row.updated_at_ms };
  }

  save(site: Site, source: SiteSource, nowMs: number): void {
    this.db
      .prepare(
        `INSERT INTO site (slot, document, source, updated_at_ms) VALUES (1, ?, ?, ?)
         ON CONFLICT(slot) DO UPDATE SET document = excluded.document, source = excluded.source, updated_at_ms = excluded.updated_at_ms`,
      )
      .run(JSON.stringify(site), source, nowMs);
  }
}
