// Who may call what, as the station decides it (core/api/api-permissions.ts). The UI uses
// it only to leave out what the caller's role may not do; the station checks every request
// itself. The renderer's only runtime imports from core/: pure data and small functions
// without imports of their own, where a copy here could drift from what the station enforces.
import type { RequestMethod, SessionView } from './contract';
import { mayCall } from '../../core/api/api-permissions';
import { CAPABILITIES, ROLES, isRole } from '../../core/api/auth-roles';

export { CAPABILITIES, ROLES, isRole };

/** Whether the logged-in caller may call `method`; false without a session. */
export function canCall(session: SessionView | null, method: RequestMethod): boolean {
  return session !== null && mayCall(session.role, method);
}
