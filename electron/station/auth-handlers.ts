// Request handlers of the account methods. Login, logout and first-run setup are not here:
// they create or end sessions, so the hosts handle them (HTTP routes with cookies, IPC per
// window) and call the AuthService directly.
import { capabilitiesOf } from '../../core/api/auth-roles';
import { ApiError, type Caller, type RequestHandlers } from '../../core/api/dispatcher';
import type { Actor, AuthProblem, AuthService } from '../../core/auth/auth-service';
import type { Result } from '../../core/result';
import { STATION_ACTOR } from './caller-context';

export type AuthMethod = Extract<keyof RequestHandlers, `auth.${string}` | `users.${string}`>;

const CODES: Record<AuthProblem['code'], ConstructorParameters<typeof ApiError>[0]> = {
  bad_credentials: 'auth_failed',
  locked: 'auth_failed',
  bad_request: 'bad_request',
  weak_password: 'weak_password',
  user_exists: 'user_exists',
  not_found: 'not_found',
  last_admin: 'last_admin',
  setup_done: 'bad_request',
};

function unwrap<T>(result: Result<T, AuthProblem>): T {
  if (result.ok) return result.value;
  throw new ApiError(CODES[result.error.code], result.error.message);
}

function actorOf(caller: Caller): Actor {
  return caller.kind === 'user'
    ? { user: caller.user, role: caller.role }
    : { user: STATION_ACTOR, role: null };
}

export function authHandlers(auth: AuthService): Pick<RequestHandlers, AuthMethod> {
  return {
    'auth.session': (_params, caller) => {
      if (caller.kind !== 'user')
        return {
          user: STATION_ACTOR,
          role: 'admin',
          capabilities: capabilitiesOf('admin'),
          expiresMs: 0,
        };
      const session = auth.sessionOf(caller.user);
      return {
        user: caller.user,
        role: caller.role,
        capabilities: capabilitiesOf(caller.role),
        expiresMs: session?.expiresMs ?? 0,
      };
    },
    'auth.changePassword': async ({ currentPassword, newPassword }, caller) => {
      if (caller.kind !== 'user')
        throw new ApiError('bad_request', 'only a logged-in user has a password to change');
      unwrap(await auth.changeOwnPassword(caller.user, currentPassword, newPassword));
      return { user: caller.user };
    },
    'users.list': () => auth.list(),
    'users.add': async ({ name, role, password }, caller) =>
      unwrap(await auth.add(actorOf(caller), name, role, password)),
    'users.setRole': ({ name, role }, caller) => unwrap(auth.setRole(actorOf(caller), name, role)),
    'users.setPassword': async ({ name, password }, caller) =>
      unwrap(await auth.setPassword(actorOf(caller), name, password)),
    'users.remove': ({ name }, caller) => unwrap(auth.remove(actorOf(caller), name)),
  };
}
