// Calls a real station the way a UI does (wire messages through dispatch), for the
// commissioning API tests.
import type {
  ApiErrorBody,
  EventMessage,
  ParamsOf,
  RequestMethod,
  ResultOf,
} from '../../../core/api/station-api';
import type { Station } from '../../../electron/station/station';

let nextId = 1;

export async function call<M extends RequestMethod>(
  station: Station,
  method: M,
  params: ParamsOf<M>,
): Promise<ResultOf<M>> {
  const reply = await station.dispatch({ type: 'request', id: nextId++, method, params });
  if (reply.type !== 'response' || !reply.ok)
    throw new Error(`${method} failed: ${JSON.stringify(reply)}`);
  return reply.value as ResultOf<M>;
}

/** The typed error of a request that must fail; throws if it succeeds. */
export async function refusal(
  station: Station,
  method: string,
  params: unknown,
): Promise<ApiErrorBody> {
  const reply = await station.dispatch({ type: 'request', id: nextId++, method, params });
  if (reply.type !== 'response' || reply.ok)
    throw new Error(`${method} should have failed: ${JSON.stringify(reply)}`);
  return reply.error;
}

/** Collects pushed events of one kind. */
export function collect<E extends EventMessage['event']>(station: Station, event: E): unknown[] {
  const seen: unknown[] = [];
  station.onEvent((message) => {
    if (message.event === event) seen.push(message.data);
  });
  return seen;
}
