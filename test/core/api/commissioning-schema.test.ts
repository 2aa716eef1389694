import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createDispatcher,
  STATION_CALLER,
  type RequestHandlers,
} from '../../../core/api/dispatcher';
import { requestParamSchemas } from '../../../core/api/station-api-schema';
import type { RequestMethod } from '../../../core/api/station-api';

/** The dispatcher as the station's own in-process calls use it (authorization: api-permissions tests). */
function stationDispatcher(...args: Parameters<typeof createDispatcher>) {
  const dispatch = createDispatcher(...args);
  return (raw: unknown) => dispatch(raw, STATION_CALLER);
}

const COMMISSIONING: RequestMethod[] = [
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
];

const ok = (method: RequestMethod, params: unknown): boolean =>
  requestParamSchemas[method].safeParse(params).success;

const device = {
  id: 'pv-1',
  name: 'PV',
  url: 'modbus-tcp://10.0.0.2:502?unit=3',
  role: 'pv-inverter',
  memberId: null,
  pollIntervalMs: 1000,
};
const read = { url: 'modbus-tcp://10.0.0.2', address: 40000, count: 2, function: 3 };
const write = { deviceId: 'pv-1', model: 123, point: 'WMaxLimPct', value: 50 };

describe('commissioning request schemas', () => {
  it('accept well-formed requests', () => {
    expect(ok('devices.add', device)).toBe(true);
    expect(ok('devices.add', { ...device, profile: 'acme-meter' })).toBe(true);
    expect(ok('devices.update', { id: 'pv-1', changes: { profile: null, name: 'x' } })).toBe(true);
    expect(ok('devices.enable', { id: 'pv-1', enabled: false })).toBe(true);
    expect(ok('scan.start', { url: 'modbus-tcp://h', unitIds: [1, 247], timeoutMs: 300 })).toBe(
      true,
    );
    expect(ok('sunspec.read', { deviceId: 'pv-1' })).toBe(true);
    expect(ok('registers.read', read)).toBe(true);
    expect(ok('registers.read', { ...read, function: 4, address: 65411, count: 125 })).toBe(true);
    expect(ok('sunspec.write', write)).toBe(true);
    expect(ok('sunspec.write', { ...write, point: 'module[1].DCA', value: 'CONNECT' })).toBe(true);
  });

  it('refuse requests outside Modbus limits or the contract', () => {
    const bad: [RequestMethod, unknown][] = [
      ['devices.add', { ...device, enabled: true }],
      ['devices.add', { ...device, pollIntervalMs: 1.5 }],
      ['devices.update', { id: 'pv-1', changes: {} }],
      ['devices.update', { id: 'pv-1', changes: { id: 'other' } }],
      ['devices.enable', { id: 'pv-1' }],
      ['scan.start', { url: 'modbus-tcp://h', unitIds: [] }],
      ['scan.start', { url: 'modbus-tcp://h', unitIds: [0] }],
      ['scan.start', { url: 'modbus-tcp://h', unitIds: [248] }],
      ['scan.start', { url: 'modbus-tcp://h', unitIds: [3, 3] }],
      ['scan.start', { url: 'modbus-tcp://h', timeoutMs: 10 }],
      ['sunspec.read', {}],
      ['sunspec.read', { deviceId: 'pv-1', url: 'modbus-tcp://h' }],
      ['registers.read', { ...read, count: 0 }],
      ['registers.read', { ...read, count: 126 }],
      ['registers.read', { ...read, address: 65500, count: 40 }],
      ['registers.read', { ...read, address: -1 }],
      ['registers.read', { ...read, function: 16 }],
      ['sunspec.write', { ...write, value: Number.POSITIVE_INFINITY }],
      ['sunspec.write', { ...write, value: '' }],
      ['sunspec.write', { ...write, point: 'W; drop' }],
      ['sunspec.write', { ...write, model: 0 }],
      ['sunspec.planWrite', { ...write, value: undefined }],
    ];
    for (const [method, params] of bad)
      expect(ok(method, params), JSON.stringify(params)).toBe(false);
  });

  it('answer any garbage with bad_request and never reach a handler', async () => {
    const calls: string[] = [];
    const handlers = Object.fromEntries(
      COMMISSIONING.map((m) => [m, () => (calls.push(m), null)]),
    ) as unknown as RequestHandlers;
    const dispatch = stationDispatcher(handlers);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMISSIONING), fc.anything(), async (method, params) => {
        const reply = await dispatch({ type: 'request', id: 1, method, params });
        expect(reply.type).toBe('response');
        if (reply.type === 'response' && !reply.ok) expect(reply.error.code).toBe('bad_request');
      }),
      { numRuns: 1000 },
    );
    expect(calls).toEqual([]);
  });
});
