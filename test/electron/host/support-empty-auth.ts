// An AuthService with no account yet (first run), on a real SQLite file.
import { join } from 'node:path';
import { AuthService } from '../../../core/auth/auth-service';
import { UserRepository, userMigrations } from '../../../core/auth/user-repository';
import { applyMigrations } from '../../../core/storage/migrations';
import { openSqlite } from '../../../core/storage/sqlite-adapter';
import { TEST_COST } from '../../support/host-auth';

export async function testAuthEmpty(dir: string): Promise<AuthService> {
  const db = openSqlite(join(dir, 'auth.db'), { synchronous: 'normal' });
  applyMigrations(db, userMigrations);
  return new AuthService({
    users: new UserRepository(db),
    nowMs: () => Date.now(),
    audit: () => {},
    cost: TEST_COST,
  });
}
