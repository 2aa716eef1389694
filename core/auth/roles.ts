// Roles live with the API contract (core/api/auth-roles.ts) so the UI can ask the same
// question the station enforces; core/auth uses them from here.
export * from '../api/auth-roles';
