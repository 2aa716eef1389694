// The caller of the request being handled, for everything that records who did something
// (control actions, config changes, alarm acknowledgements, top-ups). Carried with
// AsyncLocalStorage so the services need no extra parameter and cannot be handed a wrong one.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Role } from '../../core/api/auth-roles';
import type { Caller } from '../../core/api/dispatcher';

/** The actor of work the station does on its own or in-process (tests, tools). */
export const STATION_ACTOR = 'local-operator';

const context = new AsyncLocalStorage<Caller>();

export function runAsCaller<T>(caller: Caller, fn: () => T): T {
  return context.run(caller, fn);
}

/** The logged-in user's name inside a request, else the station's own actor name. */
export function currentActor(): string {
  const caller = context.getStore();
  return caller?.kind === 'user' ? caller.user : STATION_ACTOR;
}

/** `{ role }` of the calling user, to spread into a ledger payload; `{}` for the station's own work. */
export function currentRoleField(): { role?: Role } {
  const caller = context.getStore();
  return caller?.kind === 'user' ? { role: caller.role } : {};
}
