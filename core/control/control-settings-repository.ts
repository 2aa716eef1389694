// Control parameters and mode in station.db, one row per site id: running the demo in the
// same data directory never overwrites the settings of the site from the file, and settings
// stored for another site are never applied to this one. The config is kept as JSON and
// parsed and validated by whoever loads it (the site may have changed since).
import type { Migration, SqlDatabase } from '../storage/sql-port';

export type StoredMode = 'auto' | 'monitor';

export interface StoredControlSettings {
  siteId: string;
  /** The editable config as saved; `undefined` if the stored text is not JSON any more. */
  config: unknown;
  mode: StoredMode;
  /** Hash of the site running when these were saved or the site last changed under them. */
  siteHash: string;
  updatedAtMs: number;
}

export interface ControlSettingsStore {
  load(siteId: string): StoredControlSettings | null;
  save(settings: StoredControlSettings): void;
}

export const controlSettingsMigrations: Migration[] = [
  {
    scope: 'control-settings',
    version: 1,
    description: 'control parameters and mode per site',
    up: (db) =>
      db.exec(`CREATE TABLE control_settings (
        site_id TEXT PRIMARY KEY,
        config TEXT NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('auto', 'monitor')),
        site_hash TEXT NOT NULL,
        updated_at_ms INTEGER NOT NULL
      )`),
  },
];

interface Row {
  config: string;
  mode: StoredMode;
  site_hash: string;
  updated_at_ms: number;
}

export class ControlSettingsRepository implements ControlSettingsStore {
  constructor(private readonly db: SqlDatabase) {}

  load(siteId: string): StoredControlSettings | null {
    const row = this.db
      .prepare<Row>(
        'SELECT config, mode, site_hash, updated_at_ms FROM control_settings WHERE site_id = ?',
      )
      .get(siteId);
    if (!row) return null;
    return {
      siteId,
      config: parseJson(row.config),
      mode: row.mode,
      siteHash: row.site_hash,
      updatedAtMs: row.updated_at_ms,
    };
  }

  save(s: StoredControlSettings): void {
    this.db
      .prepare(
        `INSERT INTO control_settings (site_id, config, mode, site_hash, updated_at_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (site_id) DO UPDATE SET config = excluded.config, mode = excluded.mode,
           site_hash = excluded.site_hash, updated_at_ms = excluded.updated_at_ms`,
      )
      .run(s.siteId, JSON.stringify(s.config), s.mode, s.siteHash, s.updatedAtMs);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
