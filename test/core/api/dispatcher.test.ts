import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  createDispatcher,
  STATION_CALLER,
  type RequestHandlers,
} from '../../../core/api/dispatcher';

/** The dispatcher as the station's own in-process calls use it (authorization: api-permissions tests). */
function stationDispatcher(...args: Parameters<typeof createDispatcher>) {
  const dispatch = createDispatcher(...args);
  return (raw: unknown) => dispatch(raw, STATION_CALLER);
}

function handlers(calls: string[]): RequestHandlers {
  const record =
    <T>(name: string, value: T) =>
    () => (calls.push(name), value);
  const readOnly: Partial<RequestHandlers> = {
    'station.health': record('health', { status: 'ok' } as never),
    'site.get': record('site', { id: 's' } as never),
    'snapshot.get': record('snapshot', { tsMs: 1 } as never),
    'devices.list': record('devices', []),
    'history.get': (q) => {
      calls.push('history');
      if (q.point === 'missing') throw new ApiError('not_found', 'no such point');
      if (q.point === 'boom') throw new Error('disk on fire');
      return { point: q.point, unit: 'W', resolution: 'raw', bucketMs: 1000, samples: [] };
    },
  };
  return readOnly as RequestHandlers;
}

describe('createDispatcher', () => {
  it('answers a valid request with its id', async () => {
    const dispatch = stationDispatcher(handlers([]));
    expect(await dispatch({ type: 'request', id: 7, method: 'site.get', params: {} })).toEqual({
      type: 'response',
      id: 7,
      ok: true,
      value: { id: 's' },
    });
    expect(await dispatch({ type: 'request', id: 8, method: 'site.get' })).toMatchObject({
      id: 8,
      ok: true,
    });
  });

  it('rejects bad params with a message naming the field, without calling the handler', async () => {
    const calls: string[] = [];
    const dispatch = stationDispatcher(handlers(calls));
    const reply = await dispatch({
      type: 'request',
      id: 1,
      method: 'history.get',
      params: { point: 'p', fromMs: 10, toMs: 5 },
    });
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'bad_request', message: expect.stringMatching(/toMs/) },
    });
    const extra = await dispatch({
      type: 'request',
      id: 2,
      method: 'site.get',
      params: { admin: true },
    });
    expect(extra).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(calls).toEqual([]);
  });

  it('maps unknown methods, expected failures and internal errors to typed errors', async () => {
    const logged: string[] = [];
    const dispatch = stationDispatcher(handlers([]), (_e, m) => logged.push(m));
    expect(
      await dispatch({ type: 'request', id: 1, method: 'ledger.rewrite', params: {} }),
    ).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(
      await dispatch({
        type: 'request',
        id: 2,
        method: 'history.get',
        params: { point: 'missing', fromMs: 0, toMs: 1 },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const internal = await dispatch({
      type: 'request',
      id: 3,
      method: 'history.get',
      params: { point: 'boom', fromMs: 0, toMs: 1 },
    });
    expect(internal).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify(internal)).not.toMatch(/disk on fire/);
    expect(logged).toEqual(['history.get']);
  });

  it('answers any garbage with a typed error and never throws', async () => {
    const calls: string[] = [];
    const dispatch = stationDispatcher(handlers(calls));
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (raw) => {
        const reply = await dispatch(raw);
        expect(reply.type).toBe('response');
        if (reply.type === 'response' && !reply.ok)
          expect(['bad_request', 'unknown_method']).toContain(reply.error.code);
      }),
      { numRuns: 500 },
    );
    expect(calls).toEqual([]);
  });
});
