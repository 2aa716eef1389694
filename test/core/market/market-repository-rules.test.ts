// Migration 2 of the market tables on a station.db written before island rules: existing
// intervals read as cleared under the normal rules.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { marketMigrations, MarketRepository } from '../../../core/market/market-repository';
import { applyMigrations } from '../../../core/storage/migrations';
import type { SqlDatabase } from '../../../core/storage/sql-port';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import { useTempDirs } from '../../support/temp-dir';

const tempDir = useTempDirs('mg-market-repo-');
const dbs: SqlDatabase[] = [];
afterEach(() => dbs.splice(0).forEach((db) => db.close()));

describe('market repository: rules per interval', () => {
  it('upgrades a version-1 file: old intervals are normal, new ones keep their rules', () => {
    const db = openSqlite(join(tempDir(), 'station.db'), { synchronous: 'full' });
    dbs.push(db);
    applyMigrations(db, marketMigrations.slice(0, 1));
    db.prepare(
      `INSERT INTO market_intervals (id, start_ms, end_ms, gate_closure_ms, state, mechanism)
       VALUES ('a', 0, 900000, -60000, 'cleared', 'pay-as-clear')`,
    ).run();
    applyMigrations(db, marketMigrations);
    const repository = new MarketRepository(db);
    expect(repository.interval('a')).toMatchObject({ rules: 'normal', previousRules: null });
    expect(repository.lastRules()).toBe('normal');

    repository.saveCleared({
      id: 'b',
      startMs: 900_000,
      endMs: 1_800_000,
      gateClosureMs: 840_000,
      state: 'cleared',
      mechanism: 'pay-as-clear',
      rules: 'fair-share',
      previousRules: 'normal',
      clearedAtMs: 840_000,
      clearing: null,
    });
    expect(repository.interval('b')).toMatchObject({
      rules: 'fair-share',
      previousRules: 'normal',
    });
    expect(repository.lastRules()).toBe('fair-share');
    expect(() =>
      db.prepare("UPDATE market_intervals SET rules = 'lottery' WHERE id = 'b'").run(),
    ).toThrow(/CHECK constraint/);
  });
});
