// Who may do what. Roles grant capabilities, and every API method needs exactly one
// capability (core/api/api-permissions.ts), checked in the station for every caller: the UI
// only hides what a role may not do, it never decides.
//
// Not a ladder: a technician commissions hardware but does not move members' money or steer
// the grid, an operator steers but does not touch device configuration. An admin may do all.

export const ROLES = ['viewer', 'operator', 'technician', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Account names: the same rule at the API, the CLI and in core/auth. */
export const USER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
export const USER_NAME_RULE = 'a user name is 1–32 letters, digits, dots, dashes or underscores';

export const CAPABILITIES = ['view', 'steer', 'commission', 'administer'] as const;
export type Capability = (typeof CAPABILITIES)[number];

const GRANTS: Record<Role, readonly Capability[]> = {
  viewer: ['view'],
  operator: ['view', 'steer'],
  technician: ['view', 'commission'],
  admin: ['view', 'steer', 'commission', 'administer'],
};

export function may(role: Role, capability: Capability): boolean {
  return GRANTS[role].includes(capability);
}

export function capabilitiesOf(role: Role): readonly Capability[] {
  return GRANTS[role];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** The logged-in caller as the UI sees it (GET /api/session, `auth.session`). */
export interface SessionView {
  user: string;
  role: Role;
  capabilities: readonly Capability[];
  /** The session ends at this time unless used again (idle) — never after its absolute limit. */
  expiresMs: number;
}

export interface UserView {
  name: string;
  role: Role;
  createdMs: number;
  passwordChangedMs: number;
}
