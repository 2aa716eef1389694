// Creating and changing the one subscription of a session, each bounded in time: a server
// that never answers must not stall the connection's loop.
import type { ClientSession, ClientSubscription } from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import { settleWithin, within } from './deadline';
import { messageOf, opcuaError, type OpcuaError } from './opcua-error';
import type { SubscriptionTiming } from './subscription-timing';

export async function createSubscription(
  session: ClientSession,
  timing: SubscriptionTiming,
  timeoutMs: number,
): Promise<Result<ClientSubscription, OpcuaError>> {
  const request = session.createSubscription2({
    requestedPublishingInterval: timing.publishingIntervalMs,
    requestedMaxKeepAliveCount: timing.maxKeepAliveCount,
    requestedLifetimeCount: timing.lifetimeCount,
    // No cap: after a reconnect the first publish carries every item's initial value.
    maxNotificationsPerPublish: 0,
    publishingEnabled: true,
    priority: 1,
  });
  const outcome = await within(
    request.then(ok, (error: unknown) => fail(messageOf(error))),
    timeoutMs,
  );
  if (outcome.done && outcome.value.ok) return ok(outcome.value.value);
  // One that arrives late would publish to nobody: delete it.
  void request.then((late) => settleWithin(late.terminate(), 1000)).catch(() => undefined);
  const why = outcome.done && !outcome.value.ok ? outcome.value.error : 'no answer in time';
  return fail(opcuaError('server_error', `cannot create the subscription: ${why}`));
}

export async function modifySubscription(
  subscription: ClientSubscription,
  timing: SubscriptionTiming,
  timeoutMs: number,
): Promise<Result<void, OpcuaError>> {
  const outcome = await within(
    subscription
      .modify({
        requestedPublishingInterval: timing.publishingIntervalMs,
        requestedMaxKeepAliveCount: timing.maxKeepAliveCount,
        requestedLifetimeCount: timing.lifetimeCount,
      })
      .then(() => null, messageOf),
    timeoutMs,
  );
  if (outcome.done && outcome.value === null) return ok(undefined);
  const why = outcome.done ? outcome.value : 'no answer in time';
  return fail(opcuaError('server_error', `cannot change the publishing interval: ${why}`));
}
