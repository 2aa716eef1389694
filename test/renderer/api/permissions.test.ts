import { describe, expect, it } from 'vitest';
import type { RequestMethod, Role, SessionView } from '../../../renderer/api/contract';
import { canCall, ROLES } from '../../../renderer/api/permissions';
import { METHOD_CAPABILITY } from '../../../core/api/api-permissions';
import { capabilitiesOf } from '../../../core/api/auth-roles';
import { PASSWORD_MIN_CHARS as CORE_MIN } from '../../../core/auth/password-hash';
import { PASSWORD_MIN_CHARS } from '../../../renderer/lib/password-rules';

const as = (role: Role): SessionView => ({
  user: `a-${role}`,
  role,
  capabilities: capabilitiesOf(role),
  expiresMs: 0,
});

/** The write actions the pages offer, and which roles see them. */
const OFFERED: [RequestMethod, Role[]][] = [
  ['alarms.ack', ['operator', 'admin']],
  ['accounts.topUp', ['operator', 'admin']],
  ['control.setMode', ['operator', 'admin']],
  ['control.setStrategies', ['operator', 'admin']],
  ['control.setConfig', ['operator', 'admin']],
  ['control.command', ['operator', 'admin']],
  ['market.submitOrder', ['operator', 'admin']],
  ['market.setPreferences', ['operator', 'admin']],
  ['devices.add', ['technician', 'admin']],
  ['devices.remove', ['technician', 'admin']],
  ['sunspec.write', ['technician', 'admin']],
  ['opcua.browse', ['technician', 'admin']],
  ['users.list', ['admin']],
  ['users.add', ['admin']],
  ['auth.changePassword', ['viewer', 'operator', 'technician', 'admin']],
  ['site.state', ['viewer', 'operator', 'technician', 'admin']],
];

describe('canCall', () => {
  it('offers nothing without a session', () => {
    for (const method of Object.keys(METHOD_CAPABILITY) as RequestMethod[]) {
      expect(canCall(null, method)).toBe(false);
    }
  });

  it.each(OFFERED)('%s is offered to %j only', (method, roles) => {
    expect(ROLES.filter((role) => canCall(as(role), method))).toEqual(roles);
  });

  it('follows the station table for every method and role', () => {
    for (const role of ROLES) {
      for (const [method, capability] of Object.entries(METHOD_CAPABILITY)) {
        expect(canCall(as(role), method as RequestMethod), `${role} ${method}`).toBe(
          capabilitiesOf(role).includes(capability),
        );
      }
    }
  });
});

describe('password rule', () => {
  it('is the station one', () => {
    expect(PASSWORD_MIN_CHARS).toBe(CORE_MIN);
  });
});
