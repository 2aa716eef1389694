import type { ApiErrorCode, ServerMessage } from './contract';

const ERROR_CODES: readonly ApiErrorCode[] = [
  'bad_request',
  'unknown_method',
  'not_found',
  'unavailable',
  'internal',
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Checks the envelope of a message from the station. Payloads stay `unknown` here: the
 * station validates them against the contract before sending, so the client trusts them.
 */
export function parseServerMessage(raw: unknown): ServerMessage | null {
  if (!isRecord(raw)) return null;
  if (raw.type === 'event') {
    return typeof raw.event === 'string' && 'data' in raw
      ? ({ type: 'event', event: raw.event, data: raw.data } as ServerMessage)
      : null;
  }
  if (raw.type !== 'response' || typeof raw.id !== 'number') return null;
  if (raw.ok === true) return { type: 'response', id: raw.id, ok: true, value: raw.value };
  if (raw.ok === false && isRecord(raw.error)) {
    const { code: rawCode, message: rawMessage } = raw.error;
    // An unknown code from a newer station still fails the request, as a generic fault.
    const code = ERROR_CODES.find((c) => c === rawCode) ?? 'internal';
    const message = typeof rawMessage === 'string' ? rawMessage : 'Unknown error';
    return { type: 'response', id: raw.id, ok: false, error: { code, message } };
  }
  return null;
}

export function decodeServerMessage(text: unknown): ServerMessage | null {
  if (typeof text !== 'string') return null;
  try {
    return parseServerMessage(JSON.parse(text));
  } catch {
    return null;
  }
}
