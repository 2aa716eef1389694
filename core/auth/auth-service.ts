// Accounts, logins and sessions together: what the hosts (HTTP, IPC) and the CLI call.
// Every login, failed login, logout and account change goes to `audit` (the ledger in the
// station), with user, role, time and result.
import { fail, ok, type Result } from '../result';
import { LoginThrottle } from './login-throttle';
import { checkNewPassword, hashPassword, verifyPassword, type ScryptCost } from './password-hash';
import { isRole, USER_NAME_PATTERN, USER_NAME_RULE, type Role, type UserView } from './roles';
import { SessionStore, type Session } from './sessions';
import type { StoredUser, UserRepository } from './user-repository';

/** Who changes an account: a logged-in admin, the CLI on the site PC, or the first-run setup. */
export interface Actor {
  user: string;
  role: Role | null;
}

export interface AuthEvent {
  atMs: number;
  /** Who acted: the user logging in, or the admin changing an account. */
  actor: string;
  role: Role | null;
  event: 'login' | 'login-failed' | 'logout' | 'user-added' | 'user-changed' | 'user-removed';
  result: 'ok' | 'refused';
  detail: string;
}

export interface AuthServiceDeps {
  users: UserRepository;
  nowMs(): number;
  audit(event: AuthEvent): void;
  sessions?: SessionStore;
  throttle?: LoginThrottle;
  /** Lower only in tests. */
  cost?: ScryptCost;
}

export type { UserView } from './roles';

export interface LoginOk {
  token: string;
  session: Session;
}

export type AuthProblem =
  | { code: 'bad_credentials'; message: string }
  | { code: 'locked'; message: string; retryAfterS: number }
  | {
      code:
        'bad_request' | 'weak_password' | 'user_exists' | 'not_found' | 'last_admin' | 'setup_done';
      message: string;
    };

const NAME = USER_NAME_PATTERN;
/** Checked against a dummy hash when the user does not exist, so timing does not tell. */
let dummyHash: Promise<string> | null = null;

export function checkUserName(name: string): Result<string, AuthProblem> {
  return NAME.test(name)
    ? ok(name)
    : fail({
        code: 'bad_request',
        message: USER_NAME_RULE,
      });
}

const view = (u: StoredUser): UserView => ({
  name: u.name,
  role: u.role,
  createdMs: u.createdMs,
  passwordChangedMs: u.passwordChangedMs,
});

export class AuthService {
  readonly sessions: SessionStore;
  readonly #throttle: LoginThrottle;

  constructor(private readonly deps: AuthServiceDeps) {
    this.sessions = deps.sessions ?? new SessionStore();
    this.#throttle = deps.throttle ?? new LoginThrottle();
  }

  /** No account yet: the first run asks for the admin account. */
  needsSetup(): boolean {
    return this.deps.users.count() === 0;
  }

  list(): UserView[] {
    return this.deps.users.list().map(view);
  }

  /** The first account, only while there is none; always an admin. */
  async setup(name: string, password: string): Promise<Result<LoginOk, AuthProblem>> {
    if (!this.needsSetup())
      return fail({ code: 'setup_done', message: 'the station already has an admin account' });
    const added = await this.add({ user: 'first-run-setup', role: null }, name, 'admin', password);
    if (!added.ok) return added;
    return this.login(name, password, 'setup');
  }

  async add(
    actor: Actor,
    name: string,
    role: Role,
    password: string,
  ): Promise<Result<UserView, AuthProblem>> {
    const checked = this.#checkAccount(name, role, password);
    if (!checked.ok) return checked;
    const hash = await hashPassword(password, this.deps.cost);
    const nowMs = this.deps.nowMs();
    const user: StoredUser = {
      name,
      role,
      passwordHash: hash,
      createdMs: nowMs,
      passwordChangedMs: nowMs,
    };
    if (!this.deps.users.insert(user)) {
      this.#audit(actor.user, actor.role, 'user-added', 'refused', `${name}: the name is taken`);
      return fail({ code: 'user_exists', message: `there is already a user called ${name}` });
    }
    this.#audit(actor.user, actor.role, 'user-added', 'ok', `${name} as ${role}`);
    return ok(view(user));
  }

  async setPassword(
    actor: Actor,
    name: string,
    password: string,
  ): Promise<Result<UserView, AuthProblem>> {
    const weak = checkNewPassword(password);
    if (!weak.ok) return fail({ code: 'weak_password', message: weak.error.message });
    const user = this.deps.users.find(name);
    if (!user) return fail({ code: 'not_found', message: `no user called ${name}` });
    const hash = await hashPassword(password, this.deps.cost);
    this.deps.users.setPassword(user.name, hash, this.deps.nowMs());
    const ended = this.sessions.revokeUser(user.name);
    this.#audit(
      actor.user,
      actor.role,
      'user-changed',
      'ok',
      `${user.name}: password changed, ${ended} session(s) ended`,
    );
    return ok(view(this.deps.users.find(user.name)!));
  }

  setRole(actor: Actor, name: string, role: Role): Result<UserView, AuthProblem> {
    if (!isRole(role))
      return fail({ code: 'bad_request', message: `unknown role ${String(role)}` });
    return this.deps.users.transaction(() => {
      const user = this.deps.users.find(name);
      if (!user) return fail({ code: 'not_found', message: `no user called ${name}` });
      if (user.role === 'admin' && role !== 'admin' && this.deps.users.countWithRole('admin') === 1)
        return this.#lastAdmin(actor, `${user.name}: role change refused`);
      this.deps.users.setRole(user.name, role);
      const ended = this.sessions.revokeUser(user.name);
      this.#audit(
        actor.user,
        actor.role,
        'user-changed',
        'ok',
        `${user.name}: ${user.role} → ${role}, ${ended} session(s) ended`,
      );
      return ok(view({ ...user, role }));
    });
  }

  remove(actor: Actor, name: string): Result<{ name: string }, AuthProblem> {
    return this.deps.users.transaction(() => {
      const user = this.deps.users.find(name);
      if (!user) return fail({ code: 'not_found', message: `no user called ${name}` });
      if (user.role === 'admin' && this.deps.users.countWithRole('admin') === 1)
        return this.#lastAdmin(actor, `${user.name}: removal refused`);
      this.deps.users.remove(user.name);
      this.sessions.revokeUser(user.name);
      this.#audit(actor.user, actor.role, 'user-removed', 'ok', user.name);
      return ok({ name: user.name });
    });
  }

  /** `client` identifies where the attempt came from (an address, "ipc", "cli") for the back-off. */
  async login(
    name: string,
    password: string,
    client: string,
  ): Promise<Result<LoginOk, AuthProblem>> {
    const nowMs = this.deps.nowMs();
    const keys = [`user:${name.toLowerCase()}`, `client:${client}`];
    const waitMs = this.#throttle.waitMs(keys, nowMs);
    if (waitMs > 0) {
      const retryAfterS = Math.ceil(waitMs / 1000);
      this.#audit(
        name,
        null,
        'login-failed',
        'refused',
        `locked for ${retryAfterS} s after repeated failures (from ${client})`,
      );
      return fail({
        code: 'locked',
        message: `too many failed logins: try again in ${retryAfterS} s`,
        retryAfterS,
      });
    }
    const user = NAME.test(name) ? this.deps.users.find(name) : null;
    dummyHash ??= hashPassword('not a password', this.deps.cost);
    const good = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
    if (!user || !good) {
      this.#throttle.failed(keys, nowMs);
      this.#audit(
        name.slice(0, 64) || '(empty)',
        user?.role ?? null,
        'login-failed',
        'refused',
        `wrong user name or password (from ${client})`,
      );
      return fail({ code: 'bad_credentials', message: 'wrong user name or password' });
    }
    this.#throttle.succeeded(keys);
    const created = this.sessions.create(user.name, user.role, this.deps.nowMs());
    this.#audit(user.name, user.role, 'login', 'ok', `from ${client}`);
    return ok(created);
  }

  /**
   * The caller's own password, the current one asked again (a session left open on the site
   * PC must not be enough to take over the account). Ends all the user's sessions.
   */
  async changeOwnPassword(
    name: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<Result<UserView, AuthProblem>> {
    const user = this.deps.users.find(name);
    if (!user) return fail({ code: 'not_found', message: `no user called ${name}` });
    const me: Actor = { user: user.name, role: user.role };
    if (!(await verifyPassword(currentPassword, user.passwordHash))) {
      this.#audit(
        me.user,
        me.role,
        'user-changed',
        'refused',
        'own password: current password wrong',
      );
      return fail({ code: 'bad_credentials', message: 'the current password is wrong' });
    }
    return this.setPassword(me, user.name, newPassword);
  }

  /** The newest live session of a user (for its expiry), without sliding it. */
  sessionOf(name: string): Session | null {
    return this.sessions.newestOf(name, this.deps.nowMs());
  }

  logout(token: string): boolean {
    const session = this.sessions.touch(token, this.deps.nowMs());
    if (!session) return false;
    this.sessions.revoke(token);
    this.#audit(session.user, session.role, 'logout', 'ok', '');
    return true;
  }

  /** Like authenticate, without counting as activity. */
  peek(token: string | null): Session | null {
    return token ? this.sessions.peek(token, this.deps.nowMs()) : null;
  }

  /** The session a token stands for, or null (unknown, expired, or its account changed). */
  authenticate(token: string | null): Session | null {
    return token ? this.sessions.touch(token, this.deps.nowMs()) : null;
  }

  #checkAccount(name: string, role: Role, password: string): Result<true, AuthProblem> {
    const named = checkUserName(name);
    if (!named.ok) return named;
    if (!isRole(role))
      return fail({ code: 'bad_request', message: `unknown role ${String(role)}` });
    const weak = checkNewPassword(password);
    if (!weak.ok) return fail({ code: 'weak_password', message: weak.error.message });
    return ok(true);
  }

  #lastAdmin(actor: Actor, detail: string): Result<never, AuthProblem> {
    this.#audit(actor.user, actor.role, 'user-changed', 'refused', `${detail}: the last admin`);
    return fail({ code: 'last_admin', message: 'the station must keep at least one admin' });
  }

  #audit(
    actor: string,
    role: Role | null,
    event: AuthEvent['event'],
    result: AuthEvent['result'],
    detail: string,
  ): void {
    this.deps.audit({ atMs: this.deps.nowMs(), actor, role, event, result, detail });
  }
}
