import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../renderer/api/api-error';
import type { Snapshot } from '../../../renderer/api/contract';
import { StationClient } from '../../../renderer/api/station-client';
import { FakeTransport } from './fake-transport';

const snapshot = { tsMs: 1 } as Snapshot;

function setup(state: 'connecting' | 'open' = 'open') {
  const transport = new FakeTransport();
  transport.state = state;
  const client = new StationClient(transport, { requestTimeoutMs: 1_000 });
  return { transport, client };
}

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('StationClient requests', () => {
  it('sends a request message and resolves with the matching response', async () => {
    const { transport, client } = setup();
    const first = client.request('site.get', {});
    const second = client.request('station.health', {});
    expect(transport.sent).toEqual([
      { type: 'request', id: 1, method: 'site.get', params: {} },
      { type: 'request', id: 2, method: 'station.health', params: {} },
    ]);
    transport.reply(2, { status: 'ok' });
    transport.reply(1, { id: 'riverside' });
    await expect(first).resolves.toEqual({ id: 'riverside' });
    await expect(second).resolves.toEqual({ status: 'ok' });
  });

  it('rejects with the station error code', async () => {
    const { transport, client } = setup();
    const pending = client.request('history.get', { point: 'x.y', fromMs: 0, toMs: 1 });
    transport.deliver({
      type: 'response',
      id: 1,
      ok: false,
      error: { code: 'not_found', message: 'no such point' },
    });
    const error = await rejection(pending);
    expect(error.code).toBe('not_found');
    expect(error.message).toBe('no such point');
  });

  it('tells its listeners when a request is refused for want of a session', async () => {
    const { transport, client } = setup();
    const refused: string[] = [];
    client.onUnauthenticated((method) => refused.push(method));
    const a = client.request('site.state', {});
    const b = client.request('alarms.ack', { id: 3 });
    transport.deliver({
      type: 'response',
      id: 1,
      ok: false,
      error: { code: 'not_found', message: 'other errors are not reported' },
    });
    transport.deliver({
      type: 'response',
      id: 2,
      ok: false,
      error: { code: 'unauthenticated', message: 'session expired' },
    });
    expect((await rejection(a)).code).toBe('not_found');
    expect((await rejection(b)).code).toBe('unauthenticated');
    expect(refused).toEqual(['alarms.ack']);
  });

  it('times out when no answer comes, and ignores a late answer', async () => {
    const { transport, client } = setup();
    const pending = client.request('site.get', {});
    vi.advanceTimersByTime(1_000);
    expect((await rejection(pending)).code).toBe('timeout');
    expect(() => transport.reply(1, {})).not.toThrow();
  });

  it('holds requests made before the link is open and sends them once it is', async () => {
    const { transport, client } = setup('connecting');
    const pending = client.request('site.get', {});
    expect(transport.sent).toEqual([]);
    transport.setState('open');
    expect(transport.sent.map((m) => m.id)).toEqual([1]);
    transport.reply(1, 'site');
    await expect(pending).resolves.toBe('site');
  });

  it('rejects in-flight requests with `disconnected` when the link drops; queued ones wait', async () => {
    const { transport, client } = setup();
    const inFlight = client.request('site.get', {});
    transport.setState('reconnecting');
    const queued = client.request('station.health', {});
    expect((await rejection(inFlight)).code).toBe('disconnected');
    transport.setState('open');
    expect(transport.sent.map((m) => m.id)).toEqual([1, 2]);
    transport.reply(2, 'healthy');
    await expect(queued).resolves.toBe('healthy');
  });

  it('re-sends a request whose send failed as the link died', async () => {
    const { transport, client } = setup();
    transport.failNextSend = true;
    const pending = client.request('site.get', {});
    transport.setState('reconnecting');
    transport.setState('open');
    expect(transport.sent.map((m) => m.id)).toEqual([1]);
    transport.reply(1, 'ok');
    await expect(pending).resolves.toBe('ok');
  });

  it('rejects everything once closed', async () => {
    const { transport, client } = setup();
    const pending = client.request('site.get', {});
    client.close();
    expect(transport.closed).toBe(true);
    expect((await rejection(pending)).code).toBe('disconnected');
    expect((await rejection(client.request('site.get', {}))).code).toBe('disconnected');
  });
});

describe('StationClient events and state', () => {
  it('delivers events to subscribers until they unsubscribe, across reconnects', () => {
    const { transport, client } = setup();
    const seen: number[] = [];
    const stop = client.subscribe('snapshot', (s) => seen.push(s.tsMs));
    transport.deliver({ type: 'event', event: 'snapshot', data: snapshot });
    transport.setState('reconnecting');
    transport.setState('open');
    transport.deliver({ type: 'event', event: 'snapshot', data: { ...snapshot, tsMs: 2 } });
    stop();
    transport.deliver({ type: 'event', event: 'snapshot', data: { ...snapshot, tsMs: 3 } });
    expect(seen).toEqual([1, 2]);
  });

  it('keeps delivering to other subscribers when one throws', () => {
    const { transport, client } = setup();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const seen: number[] = [];
    client.subscribe('snapshot', () => {
      throw new Error('broken page');
    });
    client.subscribe('snapshot', (s) => seen.push(s.tsMs));
    transport.deliver({ type: 'event', event: 'snapshot', data: snapshot });
    expect(seen).toEqual([1]);
    expect(errors).toHaveBeenCalledOnce();
    errors.mockRestore();
  });

  it('reports connection state changes', () => {
    const { transport, client } = setup('connecting');
    const states: string[] = [];
    client.onStateChange((s) => states.push(s));
    transport.setState('open');
    transport.setState('reconnecting');
    expect(states).toEqual(['open', 'reconnecting']);
    expect(client.state).toBe('reconnecting');
  });
});
