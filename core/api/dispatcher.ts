// Turns one incoming wire message into one response, whatever arrives: the station never
// throws at a client and never crashes on input. Used by both transports.
import { formatPath } from '../site/site-schema';
import { isPublicMethod, mayCall } from './api-permissions';
import type { Role } from './auth-roles';
import { clientMessageSchema, requestParamSchemas } from './station-api-schema';
import type { ApiErrorBody, ParamsOf, RequestMethod, ResultOf, ServerMessage } from './station-api';

/**
 * Who sent a request. Hosts (HTTP/WebSocket, IPC) pass `user` or `anonymous` for what
 * arrives from outside; `station` is for calls made inside the station's own process
 * (tests, in-process tools) and is never derived from network or IPC input.
 */
export type Caller =
  { kind: 'user'; user: string; role: Role } | { kind: 'anonymous' } | { kind: 'station' };

export const STATION_CALLER: Caller = { kind: 'station' };

export type RequestHandlers = {
  [M in RequestMethod]: (params: ParamsOf<M>, caller: Caller) => ResultOf<M> | Promise<ResultOf<M>>;
};

/** Thrown by a handler for an expected failure the client should see as such. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorBody['code'],
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function isRequestMethod(method: string): method is RequestMethod {
  return Object.hasOwn(requestParamSchemas, method);
}

export function createDispatcher(
  handlers: RequestHandlers,
  onInternalError: (error: unknown, method: string) => void = () => {},
): (raw: unknown, caller: Caller) => Promise<ServerMessage> {
  return async (raw, caller) => {
    const message = clientMessageSchema.safeParse(raw);
    const id = message.success ? message.data.id : idOf(raw);
    if (!message.success)
      return failure(id, 'bad_request', `malformed request: ${describe(message.error.issues)}`);
    const { method } = message.data;
    if (!isRequestMethod(method))
      return failure(id, 'unknown_method', `unknown method "${method}"`);
    // Who may ask comes before what was asked: a caller without a session learns nothing
    // from validation messages either.
    if (caller.kind === 'anonymous' && !isPublicMethod(method))
      return failure(id, 'unauthenticated', `${method}: log in first`);
    if (caller.kind === 'user' && !mayCall(caller.role, method))
      return failure(id, 'forbidden', `${method}: not allowed for the role ${caller.role}`);
    const params = requestParamSchemas[method].safeParse(message.data.params);
    if (!params.success)
      return failure(id, 'bad_request', `${method}: ${describe(params.error.issues)}`);
    try {
      const handler = handlers[method] as (p: unknown, c: Caller) => unknown;
      return { type: 'response', id, ok: true, value: await handler(params.data, caller) };
    } catch (error) {
      if (error instanceof ApiError) return failure(id, error.code, error.message);
      onInternalError(error, method);
      return failure(id, 'internal', `${method} failed inside the station; see the station log`);
    }
  };
}

function failure(id: number, code: ApiErrorBody['code'], message: string): ServerMessage {
  return { type: 'response', id, ok: false, error: { code, message } };
}

function idOf(raw: unknown): number {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : -1;
}

function describe(issues: readonly { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${formatPath(i.path)}: ${i.message}` : i.message))
    .join('; ');
}
