// The capability each API method needs (auth-roles.ts says which roles hold it). A Record
// over every method: a new method without a decision here fails the type check.
//
// Reads that touch the field bus or a server (sunspec.read, registers.read, opcua.*,
// scan.*) are commissioning, not viewing: probing devices is a technician's job. Previews
// of operator actions need `steer`, like the actions they preview.
import { may, type Capability, type Role } from './auth-roles';
import type { RequestMethod } from './station-api';

export const METHOD_CAPABILITY: Record<RequestMethod, Capability> = {
  'station.health': 'view',
  'site.get': 'view',
  'site.state': 'view',
  'snapshot.get': 'view',
  'devices.list': 'view',
  'history.get': 'view',
  'profiles.list': 'view',
  'devices.add': 'commission',
  'devices.update': 'commission',
  'devices.remove': 'commission',
  'devices.enable': 'commission',
  'scan.start': 'commission',
  'scan.cancel': 'commission',
  'scan.get': 'commission',
  'sunspec.read': 'commission',
  'registers.read': 'commission',
  'sunspec.planWrite': 'commission',
  'sunspec.write': 'commission',
  'opcua.endpoints': 'commission',
  'opcua.trust': 'commission',
  'opcua.certificates': 'commission',
  'opcua.browse': 'commission',
  'opcua.read': 'commission',
  'opcua.planWrite': 'commission',
  'opcua.write': 'commission',
  'market.state': 'view',
  'market.interval': 'view',
  'market.submitOrder': 'steer',
  'market.cancelOrder': 'steer',
  'market.preferences': 'view',
  'market.setPreferences': 'steer',
  'ledger.summary': 'view',
  'ledger.blocks': 'view',
  'ledger.entries': 'view',
  'ledger.verify': 'view',
  'ledger.statement': 'view',
  'accounts.list': 'view',
  'accounts.topUp': 'steer',
  'control.state': 'view',
  'control.setMode': 'steer',
  'control.setStrategies': 'steer',
  'control.previewConfig': 'steer',
  'control.setConfig': 'steer',
  'control.preview': 'steer',
  'control.command': 'steer',
  'control.release': 'steer',
  'alarms.list': 'view',
  'alarms.history': 'view',
  'alarms.ack': 'steer',
  // Every role may see who it is and change its own password.
  'auth.session': 'view',
  'auth.changePassword': 'view',
  'users.list': 'administer',
  'users.add': 'administer',
  'users.setRole': 'administer',
  'users.setPassword': 'administer',
  'users.remove': 'administer',
};

/**
 * Methods a caller without a session may use: whether the station is up (monitoring, the
 * login screen). Nothing about members, devices or money.
 */
const PUBLIC_METHODS: ReadonlySet<RequestMethod> = new Set(['station.health']);

export function isPublicMethod(method: RequestMethod): boolean {
  return PUBLIC_METHODS.has(method);
}

/** Whether a role may call a method; the station checks this for every request. */
export function mayCall(role: Role, method: RequestMethod): boolean {
  return may(role, METHOD_CAPABILITY[method]);
}
