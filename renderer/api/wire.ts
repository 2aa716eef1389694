import type { ApiErrorCode, ServerMessage } from './contract';

/** Every code of the contract: a missing one fails the type check, not a request. */
const KNOWN_CODES = {
  bad_request: true,
  unknown_method: true,
  not_found: true,
  unavailable: true,
  internal: true,
  invalid_site: true,
  duplicate: true,
  busy: true,
  unknown_profile: true,
  profile_role: true,
  device_error: true,
  unknown_point: true,
  read_only: true,
  out_of_range: true,
  certificate_untrusted: true,
  certificate_invalid: true,
  certificate_changed: true,
  security_refused: true,
  auth_failed: true,
  order_rejected: true,
  invalid_config: true,
  unauthenticated: true,
  forbidden: true,
  weak_password: true,
  user_exists: true,
  last_admin: true,
} satisfies Record<ApiErrorCode, true>;
const ERROR_CODES = Object.keys(KNOWN_CODES) as ApiErrorCode[];

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
