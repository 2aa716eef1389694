import { describe, expect, it } from 'vitest';
import { decodeServerMessage, parseServerMessage } from '../../../renderer/api/wire';

describe('parseServerMessage', () => {
  it('accepts responses and events', () => {
    expect(parseServerMessage({ type: 'response', id: 1, ok: true, value: null })).toEqual({
      type: 'response',
      id: 1,
      ok: true,
      value: null,
    });
    expect(parseServerMessage({ type: 'event', event: 'snapshot', data: { tsMs: 1 } })).toEqual({
      type: 'event',
      event: 'snapshot',
      data: { tsMs: 1 },
    });
  });

  it('maps an unknown error code to internal, keeping the message', () => {
    expect(
      parseServerMessage({
        type: 'response',
        id: 2,
        ok: false,
        error: { code: 'new_code', message: 'm' },
      }),
    ).toEqual({ type: 'response', id: 2, ok: false, error: { code: 'internal', message: 'm' } });
  });

  it('rejects malformed envelopes', () => {
    for (const raw of [
      null,
      5,
      {},
      { type: 'response', ok: true },
      { type: 'event' },
      { type: 'response', id: 1 },
    ]) {
      expect(parseServerMessage(raw)).toBeNull();
    }
    expect(decodeServerMessage('{')).toBeNull();
    expect(decodeServerMessage(new ArrayBuffer(2))).toBeNull();
  });
});
