import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../renderer/api/api-error';
import { stationSocketUrl } from '../../../renderer/api/socket-url';
import { StationClient } from '../../../renderer/api/station-client';
import {
  WebSocketTransport,
  backoffDelayMs,
  type SocketEvents,
} from '../../../renderer/api/websocket-transport';

/** Sockets the transport opened, in order; the test opens, feeds and closes them. */
class FakeSockets {
  readonly opened: { url: string; events: SocketEvents; sent: string[]; closed: boolean }[] = [];

  factory = (url: string, events: SocketEvents) => {
    const socket = { url, events, sent: [] as string[], closed: false };
    this.opened.push(socket);
    return {
      send: (data: string) => socket.sent.push(data),
      close: () => {
        socket.closed = true;
      },
    };
  };

  get last() {
    const socket = this.opened[this.opened.length - 1];
    if (!socket) throw new Error('no socket opened');
    return socket;
  }
}

function setup() {
  const sockets = new FakeSockets();
  const transport = new WebSocketTransport('ws://station/api/ws', sockets.factory, {
    initialDelayMs: 500,
    maxDelayMs: 4_000,
    connectTimeoutMs: 3_000,
    random: () => 0.5, // no jitter
  });
  const states: string[] = [];
  transport.onStateChange((s) => states.push(s));
  return { sockets, transport, states };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('stationSocketUrl', () => {
  it('uses the page host, ws: under http and wss: under https', () => {
    expect(stationSocketUrl({ protocol: 'http:', host: '127.0.0.1:7410' })).toBe(
      'ws://127.0.0.1:7410/api/ws',
    );
    expect(stationSocketUrl({ protocol: 'https:', host: 'hall.local' })).toBe(
      'wss://hall.local/api/ws',
    );
  });
});

describe('backoffDelayMs', () => {
  it('doubles from the initial delay up to the cap, with ±20 % jitter', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, 500, 4_000, 0.5))).toEqual([
      500, 1_000, 2_000, 4_000, 4_000, 4_000,
    ]);
    expect(backoffDelayMs(0, 1_000, 10_000, 0)).toBe(800);
    expect(backoffDelayMs(0, 1_000, 10_000, 0.999_999)).toBe(1_200);
  });
});

describe('WebSocketTransport', () => {
  it('opens a socket at once and reports open', () => {
    const { sockets, transport, states } = setup();
    expect(sockets.opened).toHaveLength(1);
    expect(sockets.last.url).toBe('ws://station/api/ws');
    expect(transport.state).toBe('connecting');
    sockets.last.events.open();
    expect(states).toEqual(['open']);
  });

  it('sends JSON and decodes server messages, skipping malformed ones', () => {
    const { sockets, transport } = setup();
    sockets.last.events.open();
    const received: unknown[] = [];
    transport.onMessage((m) => received.push(m));
    transport.send({ type: 'request', id: 7, method: 'site.get', params: {} });
    expect(JSON.parse(sockets.last.sent[0] ?? '')).toEqual({
      type: 'request',
      id: 7,
      method: 'site.get',
      params: {},
    });
    sockets.last.events.message('{not json');
    sockets.last.events.message(JSON.stringify({ type: 'mystery' }));
    sockets.last.events.message(JSON.stringify({ type: 'response', id: 7, ok: true, value: 1 }));
    expect(received).toEqual([{ type: 'response', id: 7, ok: true, value: 1 }]);
  });

  it('refuses to send while not open', () => {
    const { transport } = setup();
    expect(() => transport.send({ type: 'request', id: 1, method: 'x', params: {} })).toThrow();
  });

  it('reconnects with growing delays and resets them after a successful open', () => {
    const { sockets, states } = setup();
    sockets.last.events.open();
    sockets.last.events.close();
    expect(states).toEqual(['open', 'reconnecting']);

    vi.advanceTimersByTime(499);
    expect(sockets.opened).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets.opened).toHaveLength(2);

    sockets.last.events.close(); // refused again
    vi.advanceTimersByTime(999);
    expect(sockets.opened).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets.opened).toHaveLength(3);

    sockets.last.events.open();
    expect(states).toEqual(['open', 'reconnecting', 'open']);
    sockets.last.events.close();
    vi.advanceTimersByTime(500);
    expect(sockets.opened).toHaveLength(4);
  });

  it('reconnect() replaces an open socket at once (after a login the new one carries the cookie)', () => {
    const { sockets, transport, states } = setup();
    sockets.last.events.open();
    const first = sockets.last;
    transport.reconnect();
    expect(first.closed).toBe(true);
    expect(sockets.opened).toHaveLength(2);
    expect(transport.state).toBe('reconnecting');
    first.events.message(JSON.stringify({ type: 'response', id: 1, ok: true, value: 1 }));
    first.events.close(); // the old socket's late events change nothing
    expect(sockets.opened).toHaveLength(2);
    sockets.last.events.open();
    expect(states).toEqual(['open', 'reconnecting', 'open']);
  });

  it('reconnect() while waiting to retry connects now, and does nothing once closed', () => {
    const { sockets, transport } = setup();
    sockets.last.events.close();
    transport.reconnect();
    expect(sockets.opened).toHaveLength(2);
    vi.advanceTimersByTime(2_999); // the old retry timer (500 ms) is gone
    expect(sockets.opened).toHaveLength(2);
    transport.close();
    transport.reconnect();
    expect(sockets.opened).toHaveLength(2);
  });

  it('stays `connecting` while the very first connection keeps failing', () => {
    const { sockets, transport, states } = setup();
    sockets.last.events.close();
    vi.advanceTimersByTime(500);
    sockets.last.events.close();
    expect(transport.state).toBe('connecting');
    expect(states).toEqual([]);
  });

  it('abandons a socket that does not open within the connect timeout', () => {
    const { sockets } = setup();
    const first = sockets.last;
    vi.advanceTimersByTime(3_000);
    expect(first.closed).toBe(true);
    vi.advanceTimersByTime(500);
    expect(sockets.opened).toHaveLength(2);
    first.events.open(); // too late: must not count
    expect(sockets.last).not.toBe(first);
  });

  it('retryNow skips the backoff wait', () => {
    const { sockets, transport } = setup();
    sockets.last.events.close();
    transport.retryNow();
    expect(sockets.opened).toHaveLength(2);
  });

  it('stops for good when closed', () => {
    const { sockets, transport } = setup();
    sockets.last.events.open();
    transport.close();
    expect(sockets.last.closed).toBe(true);
    sockets.last.events.close();
    vi.advanceTimersByTime(60_000);
    expect(sockets.opened).toHaveLength(1);
  });
});

describe('StationClient over WebSocketTransport', () => {
  it('fails the in-flight request on a drop, keeps subscriptions and serves new requests after reconnect', async () => {
    const { sockets, transport } = setup();
    const client = new StationClient(transport, { requestTimeoutMs: 10_000 });
    const events: number[] = [];
    client.subscribe('snapshot', (s) => events.push(s.tsMs));
    sockets.last.events.open();

    const lost = client.request('site.get', {});
    sockets.last.events.message(
      JSON.stringify({ type: 'event', event: 'snapshot', data: { tsMs: 1 } }),
    );
    sockets.last.events.close();
    await expect(lost).rejects.toSatisfy((e) => e instanceof ApiError && e.code === 'disconnected');

    const later = client.request('station.health', {});
    vi.advanceTimersByTime(500);
    sockets.last.events.open();
    const request = JSON.parse(sockets.last.sent[0] ?? '') as { id: number };
    sockets.last.events.message(
      JSON.stringify({ type: 'response', id: request.id, ok: true, value: 'ok' }),
    );
    sockets.last.events.message(
      JSON.stringify({ type: 'event', event: 'snapshot', data: { tsMs: 2 } }),
    );
    await expect(later).resolves.toBe('ok');
    expect(events).toEqual([1, 2]);
  });
});
