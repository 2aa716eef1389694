// Local user accounts in station.db: name, role and scrypt hash (password-hash.ts). Names
// compare without case so "Ana" and "ana" cannot be two accounts.
import type { Migration, SqlDatabase } from '../storage/sql-port';
import type { Role } from './roles';

export const userMigrations: Migration[] = [
  {
    scope: 'users',
    version: 1,
    description: 'local user accounts',
    up: (db) =>
      db.exec(`CREATE TABLE users (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        role TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        password_changed_ms INTEGER NOT NULL
      )`),
  },
];

export interface StoredUser {
  name: string;
  role: Role;
  passwordHash: string;
  createdMs: number;
  passwordChangedMs: number;
}

interface Row {
  name: string;
  role: Role;
  password_hash: string;
  created_ms: number;
  password_changed_ms: number;
}

const fromRow = (r: Row): StoredUser => ({
  name: r.name,
  role: r.role,
  passwordHash: r.password_hash,
  createdMs: r.created_ms,
  passwordChangedMs: r.password_changed_ms,
});

export class UserRepository {
  constructor(private readonly db: SqlDatabase) {}

  count(): number {
    return this.db.prepare<{ n: number }>('SELECT COUNT(*) AS n FROM users').get()?.n ?? 0;
  }

  countWithRole(role: Role): number {
    return (
      this.db.prepare<{ n: number }>('SELECT COUNT(*) AS n FROM users WHERE role = ?').get(role)
        ?.n ?? 0
    );
  }

  find(name: string): StoredUser | null {
    const row = this.db.prepare<Row>('SELECT * FROM users WHERE name = ?').get(name);
    return row ? fromRow(row) : null;
  }

  list(): StoredUser[] {
    return this.db.prepare<Row>('SELECT * FROM users ORDER BY name').all().map(fromRow);
  }

  /** False if the name is taken. */
  insert(user: StoredUser): boolean {
    const taken = this.find(user.name);
    if (taken) return false;
    this.db
      .prepare(
        'INSERT INTO users (name, role, password_hash, created_ms, password_changed_ms) VALUES (?, ?, ?, ?, ?)',
      )
      .run(user.name, user.role, user.passwordHash, user.createdMs, user.passwordChangedMs);
    return true;
  }

  setRole(name: string, role: Role): void {
    this.db.prepare('UPDATE users SET role = ? WHERE name = ?').run(role, name);
  }

  setPassword(name: string, passwordHash: string, nowMs: number): void {
    this.db
      .prepare('UPDATE users SET password_hash = ?, password_changed_ms = ? WHERE name = ?')
      .run(passwordHash, nowMs, name);
  }

  remove(name: string): void {
    this.db.prepare('DELETE FROM users WHERE name = ?').run(name);
  }

  /** Runs fn in one transaction, so "last admin" checks and changes cannot interleave. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn);
  }
}
