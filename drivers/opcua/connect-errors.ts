// node-opcua reports connection failures as plain Errors with multi-line messages; this
// turns them into typed codes with one sentence naming the cause and what to check.
import { opcuaError, messageOf, type OpcuaError } from './opcua-error';

export interface FailureContext {
  endpointUrl: string;
  /** SHA-1 of the station's certificate, for "trust the station on the server". */
  ownThumbprint?: string;
  /** Who tried, for bad_user: `user "tech"`, `anonymous`… */
  user?: string;
}

/** The OPC UA status name in an error: its statusCode, else the first "BadXxx" in the text. */
export function statusNameOf(error: unknown): string | null {
  const code = (error as { statusCode?: { name?: unknown } } | null)?.statusCode;
  if (code && typeof code.name === 'string') return code.name;
  return /\b(Bad[A-Za-z]+)\b/.exec(messageOf(error))?.[1] ?? null;
}

const SOCKET_CAUSES: readonly (readonly [RegExp, string])[] = [
  [/ECONNREFUSED/, 'nothing accepts connections on that port: check the address and port'],
  [/ENOTFOUND|EAI_AGAIN/, 'no such host name'],
  [/EHOSTUNREACH|ENETUNREACH/, 'no route to that host: check cabling and the IP settings'],
  [
    /ECONNRESET|EPIPE|socket has been disconnected|closed by peer|aborted|premature/i,
    'the server closed the connection',
  ],
];

export function describeFailure(error: unknown, context: FailureContext): OpcuaError {
  const url = context.endpointUrl;
  const status = statusNameOf(error);
  const text = messageOf(error);
  const extra = status ? { statusCode: status } : {};
  switch (status) {
    case 'BadSecurityChecksFailed':
    case 'BadCertificateUntrusted':
    case 'BadCertificateInvalid':
    case 'BadCertificateUriInvalid':
    case 'BadCertificateUseNotAllowed':
      return opcuaError(
        'client_certificate_rejected',
        `${url} refused the station's certificate (${status}): trust it on the server${context.ownThumbprint ? ` (thumbprint ${context.ownThumbprint}, usually in the server's rejected certificates)` : ''}`,
        extra,
      );
    case 'BadUserAccessDenied':
    case 'BadIdentityTokenRejected':
    case 'BadIdentityTokenInvalid':
    case 'BadUserSignatureInvalid':
      return opcuaError(
        'bad_user',
        `${url} refused ${context.user ?? 'the user'} (${status}): check the user name and password or the user certificate`,
        extra,
      );
    case 'BadSecurityPolicyRejected':
      return opcuaError(
        'policy_not_offered',
        `${url} refused the security policy (${status})`,
        extra,
      );
    case 'BadSecurityModeRejected':
      return opcuaError(
        'security_mode_refused',
        `${url} refused the security mode (${status})`,
        extra,
      );
    case 'BadTimeout':
    case 'BadRequestTimeout':
      return opcuaError('timeout', `${url} did not answer in time (${status})`, extra);
    case 'BadTooManySessions':
    case 'BadTcpServerTooBusy':
    case 'BadServerHalted':
      return opcuaError(
        'server_error',
        `${url} is busy or stopping (${status}): try again later`,
        extra,
      );
  }
  const cause = SOCKET_CAUSES.find(([pattern]) => pattern.test(text));
  if (cause) {
    const code = /\b(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)\b/.exec(
      text,
    )?.[0];
    return opcuaError(
      'unreachable',
      `cannot reach ${url}: ${cause[1]}${code ? ` (${code})` : ''}`,
      extra,
    );
  }
  if (/timeout|timed out/i.test(text))
    return opcuaError('timeout', `${url} did not answer in time`, extra);
  const firstLine = text.split('\n')[0]!.trim();
  return opcuaError('server_error', `${url}: ${firstLine || 'the connection failed'}`, extra);
}

export function connectFailure(
  error: unknown,
  endpointUrl: string,
): { ok: false; error: OpcuaError } {
  return { ok: false, error: describeFailure(error, { endpointUrl }) };
}
