import { describe, expect, it } from 'vitest';
import type { PreloadBridge, ServerMessage } from '../../../renderer/api/contract';
import { IpcTransport, isPreloadBridge } from '../../../renderer/api/ipc-transport';
import { PRELOAD_GLOBAL } from '../../../renderer/api/preload-global';
import { StationClient } from '../../../renderer/api/station-client';
import { PRELOAD_GLOBAL as CONTRACT_PRELOAD_GLOBAL } from '../../../core/api/station-api';

function fakeBridge(answer: (id: number) => Promise<ServerMessage>) {
  let push: ((m: ServerMessage) => void) | null = null;
  const bridge: PreloadBridge = {
    request: (message) => answer(message.id),
    onEvent(handler) {
      push = handler;
      return () => {
        push = null;
      };
    },
    // Login over IPC has its own tests (auth-transport, window-sessions).
    auth: {
      session: async () => ({ ok: false, setupNeeded: false }),
      setup: async () => null,
      login: async () => null,
      logout: async () => null,
    },
  };
  return { bridge, push: (m: ServerMessage) => push?.(m), subscribed: () => push !== null };
}

describe('IpcTransport', () => {
  it('answers requests through the bridge and passes on pushed events', async () => {
    const { bridge, push } = fakeBridge(async (id) => ({
      type: 'response',
      id,
      ok: true,
      value: 'site',
    }));
    const client = new StationClient(new IpcTransport(bridge));
    expect(client.state).toBe('open');
    await expect(client.request('site.get', {})).resolves.toBe('site');
    const seen: number[] = [];
    client.subscribe('snapshot', (s) => seen.push(s.tsMs));
    push({ type: 'event', event: 'snapshot', data: { tsMs: 5 } });
    expect(seen).toEqual([5]);
  });

  it('turns a failed invoke into an `internal` error for that request', async () => {
    const { bridge } = fakeBridge(() => Promise.reject(new Error('main process gone')));
    const client = new StationClient(new IpcTransport(bridge));
    await expect(client.request('site.get', {})).rejects.toMatchObject({
      code: 'internal',
      message: 'main process gone',
    });
  });

  it('unsubscribes from the bridge when closed', () => {
    const fake = fakeBridge(() => new Promise(() => {}));
    new IpcTransport(fake.bridge).close();
    expect(fake.subscribed()).toBe(false);
  });
});

describe('isPreloadBridge', () => {
  it('accepts only an object with request and onEvent functions', () => {
    expect(isPreloadBridge({ request: () => {}, onEvent: () => {} })).toBe(true);
    expect(isPreloadBridge({ request: () => {} })).toBe(false);
    expect(isPreloadBridge(undefined)).toBe(false);
    expect(isPreloadBridge('microgridStation')).toBe(false);
  });
});

describe('PRELOAD_GLOBAL', () => {
  it('is the name the contract declares', () => {
    expect(PRELOAD_GLOBAL).toBe(CONTRACT_PRELOAD_GLOBAL);
  });
});
