// The role matrix of issue 8: every API method × every role (and no session) through the
// station's own authorization (dispatchAs, as the hosts call it). The expected matrix is
// written out here, not derived from api-permissions.ts, so a permission changed by
// accident fails this test. Allowed calls may still fail validation (empty params): what
// matters is that they got past authorization and forbidden ones did not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../../core/api/auth-roles';
import type { Caller } from '../../../core/api/dispatcher';
import { requestParamSchemas } from '../../../core/api/station-api-schema';
import type { RequestMethod } from '../../../core/api/station-api';
import { startRuntime } from '../../../electron/station/runtime';
import type { Station } from '../../../electron/station/station';
import { useTempDirs } from '../../support/temp-dir';

const VIEW: RequestMethod[] = [
  'station.health',
  'site.get',
  'site.state',
  'snapshot.get',
  'devices.list',
  'history.get',
  'profiles.list',
  'market.state',
  'market.interval',
  'market.preferences',
  'ledger.summary',
  'ledger.blocks',
  'ledger.entries',
  'ledger.verify',
  'ledger.statement',
  'accounts.list',
  'control.state',
  'alarms.list',
  'alarms.history',
  'auth.session',
  'auth.changePassword',
];
const STEER: RequestMethod[] = [
  'market.submitOrder',
  'market.cancelOrder',
  'market.setPreferences',
  'accounts.topUp',
  'control.setMode',
  'control.setStrategies',
  'control.previewConfig',
  'control.setConfig',
  'control.preview',
  'control.command',
  'control.release',
  'alarms.ack',
];
const COMMISSION: RequestMethod[] = [
  'devices.add',
  'devices.update',
  'devices.remove',
  'devices.enable',
  'scan.start',
  'scan.cancel',
  'scan.get',
  'sunspec.read',
  'registers.read',
  'sunspec.planWrite',
  'sunspec.write',
  'opcua.endpoints',
  'opcua.trust',
  'opcua.certificates',
  'opcua.browse',
  'opcua.read',
  'opcua.planWrite',
  'opcua.write',
];
const ADMINISTER: RequestMethod[] = [
  'users.list',
  'users.add',
  'users.setRole',
  'users.setPassword',
  'users.remove',
];
const ALLOWED: Record<Role, RequestMethod[]> = {
  viewer: VIEW,
  operator: [...VIEW, ...STEER],
  technician: [...VIEW, ...COMMISSION],
  admin: [...VIEW, ...STEER, ...COMMISSION, ...ADMINISTER],
};
const ALL = Object.keys(requestParamSchemas) as RequestMethod[];

const tempDir = useTempDirs('mg-api-roles-');
let station: Station;
beforeAll(async () => {
  station = await startRuntime({ dataDir: tempDir(), forceDemo: true });
}, 30_000);
afterAll(async () => {
  await station?.stop();
});

async function codeOf(caller: Caller, method: RequestMethod): Promise<string> {
  // Params that no schema accepts: nothing runs even where the role may call the method.
  const reply = await station.dispatchAs(caller, {
    type: 'request',
    id: 1,
    method,
    params: { 'not-a-param': true },
  });
  if (reply.type !== 'response') throw new Error('no response');
  return reply.ok ? 'ok' : reply.error.code;
}

describe('role matrix', () => {
  it('lists every method of the API in exactly one capability', () => {
    const listed = [...VIEW, ...STEER, ...COMMISSION, ...ADMINISTER];
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual([...ALL].sort());
  });

  it.each(ROLES)(
    '%s: allowed methods pass authorization, all others are forbidden',
    async (role) => {
      const caller: Caller = { kind: 'user', user: `a-${role}`, role };
      const forbidden: string[] = [];
      const passed: string[] = [];
      for (const method of ALL) {
        const code = await codeOf(caller, method);
        (code === 'forbidden' ? forbidden : passed).push(method);
        expect(code, `${role} ${method}`).not.toBe('unauthenticated');
      }
      expect(passed.sort()).toEqual([...ALLOWED[role]].sort());
      expect(forbidden.sort()).toEqual(ALL.filter((m) => !ALLOWED[role].includes(m)).sort());
    },
  );

  it('without a session only station.health answers; everything else is unauthenticated', async () => {
    for (const method of ALL) {
      const code = await codeOf({ kind: 'anonymous' }, method);
      if (method === 'station.health') expect(code).not.toBe('unauthenticated');
      else expect(code, method).toBe('unauthenticated');
    }
  });
});

describe('audit', () => {
  it('records the user and role of a command in the ledger', async () => {
    const operator: Caller = { kind: 'user', user: 'olga', role: 'operator' };
    const before = await station.dispatchAs(operator, {
      type: 'request',
      id: 1,
      method: 'control.state',
      params: {},
    });
    const mode =
      before.type === 'response' && before.ok ? (before.value as { mode: string }).mode : '';
    const next = mode === 'auto' ? 'monitor' : 'auto';
    const reply = await station.dispatchAs(operator, {
      type: 'request',
      id: 2,
      method: 'control.setMode',
      params: { mode: next },
    });
    expect(reply).toMatchObject({ ok: true });
    const entries = await station.dispatchAs(operator, {
      type: 'request',
      id: 3,
      method: 'ledger.entries',
      params: { kind: 'control-action', limit: 5 },
    });
    const found =
      entries.type === 'response' && entries.ok ? (entries.value as { payload: unknown }[]) : [];
    expect(found[0]?.payload).toMatchObject({
      actor: 'olga',
      role: 'operator',
      action: 'set-mode',
      result: 'ok',
    });
  });
});
