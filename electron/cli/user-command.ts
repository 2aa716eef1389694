// `microgrid user`: local accounts from the site PC's shell, e.g. the first admin of a
// headless station, or a new password for a locked-out admin. Whoever can run this can read
// the data directory already, so it needs no login; every change is recorded in the ledger
// as done by `cli:<OS user>`.
import { mkdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { userInfo } from 'node:os';
import { AuthService, type Actor, type AuthProblem } from '../../core/auth/auth-service';
import { isRole, ROLES, USER_NAME_PATTERN, USER_NAME_RULE } from '../../core/auth/roles';
import { UserRepository, userMigrations } from '../../core/auth/user-repository';
import { openLedger } from '../../core/ledger/ledger-repository';
import { applyMigrations } from '../../core/storage/migrations';
import { openSqlite } from '../../core/storage/sqlite-adapter';
import { resolveDataDir } from '../station/data-dir';
import { recordAuthEvent } from '../station/auth-ledger';
import { CliError, printJson, UsageError } from './cli-io';
import { COMMON_OPTIONS, type Command } from './command';
import { stationDbPath } from './ledger-store';

const HELP = `
Usage: microgrid user <add|list|passwd|role|remove> [options]

  add --name N --role R --password-file F   a new account (roles: ${ROLES.join(', ')})
  list                                      the accounts and their roles
  passwd --name N --password-file F         a new password (ends the user's sessions)
  role --name N --role R                    a new role (ends the user's sessions)
  remove --name N                           remove an account (never the last admin)

The password file holds the password on its first line ("-" reads standard input).
Passwords need at least 10 characters.

Options: --data-dir DIR, --json`;

/** The same rules as the API's users.* methods (core/api/station-api-schema.ts). */
const schema = z
  .object({
    name: z.string().regex(USER_NAME_PATTERN, USER_NAME_RULE).optional(),
    role: z
      .enum(ROLES, {
        error: (i) => `unknown role "${String(i.input)}"; roles: ${ROLES.join(', ')}`,
      })
      .optional(),
  })
  .loose();

export const userCommand: Command = {
  summary: 'add, list and change the station’s user accounts and roles',
  help: HELP,
  schema,
  options: {
    ...COMMON_OPTIONS,
    name: { type: 'string' },
    role: { type: 'string' },
    'password-file': { type: 'string' },
  },
  async run({ values, positionals, io }) {
    const [action] = positionals;
    if (!action || !['add', 'list', 'passwd', 'role', 'remove'].includes(action))
      throw new UsageError(
        action
          ? `unknown user action "${action}"`
          : 'user needs an action: add, list, passwd, role or remove',
      );
    const dataDir = resolveDataDir(values['data-dir'] as string | undefined);
    const name = values.name as string | undefined;
    const role = values.role as string | undefined;
    const needName = (): string => {
      if (!name) throw new UsageError(`user ${action} needs --name`);
      return name;
    };
    const needRole = (): (typeof ROLES)[number] => {
      if (!role) throw new UsageError(`user ${action} needs --role (${ROLES.join(', ')})`);
      if (!isRole(role)) throw new UsageError(`unknown role "${role}"; roles: ${ROLES.join(', ')}`);
      return role;
    };
    const needPassword = (): string =>
      readPassword(values['password-file'] as string | undefined, action);

    mkdirSync(dataDir, { recursive: true });
    const db = openSqlite(stationDbPath(dataDir), { synchronous: 'full' });
    try {
      applyMigrations(db, userMigrations);
      const ledger = openLedger(db); // entries wait for the station to seal them into a block
      const auth = new AuthService({
        users: new UserRepository(db),
        nowMs: () => Date.now(),
        audit: (event) => recordAuthEvent(ledger, event, (line) => io.err(line)),
      });
      const actor: Actor = { user: `cli:${osUser()}`, role: null };
      const done = (value: unknown, text: string): number => {
        if (values.json) printJson(io, value);
        else io.out(text);
        return 0;
      };
      const refused = (problem: AuthProblem): never => {
        throw new CliError(`user ${action}: ${problem.message}`);
      };
      switch (action) {
        case 'list': {
          const users = auth.list();
          if (values.json) return done(users, '');
          if (users.length === 0) io.out('no accounts yet: add the first admin with `user add`');
          for (const u of users) io.out(`${u.name.padEnd(32)} ${u.role}`);
          return 0;
        }
        case 'add': {
          const [n, r, p] = [needName(), needRole(), needPassword()];
          const added = await auth.add(actor, n, r, p);
          if (!added.ok) return refused(added.error);
          return done(added.value, `added ${added.value.name} as ${added.value.role}`);
        }
        case 'passwd': {
          const [n, p] = [needName(), needPassword()];
          const changed = await auth.setPassword(actor, n, p);
          if (!changed.ok) return refused(changed.error);
          return done(changed.value, `new password for ${changed.value.name}`);
        }
        case 'role': {
          const changed = auth.setRole(actor, needName(), needRole());
          if (!changed.ok) return refused(changed.error);
          return done(changed.value, `${changed.value.name} is now ${changed.value.role}`);
        }
        default: {
          const removed = auth.remove(actor, needName());
          if (!removed.ok) return refused(removed.error);
          return done(removed.value, `removed ${removed.value.name}`);
        }
      }
    } finally {
      db.close();
    }
  },
};

function readPassword(file: string | undefined, action: string): string {
  if (!file) throw new UsageError(`user ${action} needs --password-file FILE ("-" for stdin)`);
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read password file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  // The first line: a trailing newline from `echo` or an editor is not part of the password.
  return text.split(/\r?\n/, 1)[0] ?? '';
}

function osUser(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
