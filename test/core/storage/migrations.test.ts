import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../../core/storage/migrations';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import type { Migration } from '../../../core/storage/sql-port';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-migrations-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const v1: Migration = {
  scope: 'demo',
  version: 1,
  description: 'table',
  up: (db) => db.exec('CREATE TABLE t (x INTEGER)'),
};
const v2: Migration = {
  scope: 'demo',
  version: 2,
  description: 'column',
  up: (db) => db.exec('ALTER TABLE t ADD COLUMN y TEXT'),
};

describe('applyMigrations', () => {
  it('applies each step once and survives reopening', () => {
    const path = join(tempDir(), 'a.db');
    let db = openSqlite(path, { synchronous: 'full' });
    applyMigrations(db, [v1]);
    db.close();
    db = openSqlite(path, { synchronous: 'full' });
    applyMigrations(db, [v2, v1]);
    db.prepare('INSERT INTO t (x, y) VALUES (?, ?)').run(1, 'a');
    expect(db.prepare('SELECT version FROM schema_version WHERE scope = ?').get('demo')).toEqual({
      version: 2,
    });
    expect(db.pragma('journal_mode')).toEqual([{ journal_mode: 'wal' }]);
    db.close();
  });

  it('refuses a database written by a newer station', () => {
    const path = join(tempDir(), 'b.db');
    const db = openSqlite(path, { synchronous: 'normal' });
    applyMigrations(db, [v1, v2]);
    expect(() => applyMigrations(db, [v1])).toThrow(/newer than this station understands/);
    db.close();
  });

  it('rolls back a failing step and leaves the version unchanged', () => {
    const db = openSqlite(join(tempDir(), 'c.db'), { synchronous: 'full' });
    const broken: Migration = {
      scope: 'demo',
      version: 2,
      description: 'bad',
      up: (d) => d.exec('ALTER TABLE nope ADD COLUMN z'),
    };
    applyMigrations(db, [v1]);
    expect(() => applyMigrations(db, [v1, broken])).toThrow();
    expect(db.prepare('SELECT version FROM schema_version WHERE scope = ?').get('demo')).toEqual({
      version: 1,
    });
    db.close();
  });

  it('names the directory when it cannot be written', () => {
    // Tests may run as root, which ignores permission bits: a path below a regular file
    // cannot be created by anyone.
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, '');
    expect(() => openSqlite(join(file, 'data', 'x.db'), { synchronous: 'full' })).toThrow(
      /not writable/,
    );
  });
});
