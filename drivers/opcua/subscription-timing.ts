// The subscription's timing, from what the devices on a server ask for. One subscription
// serves them all, so it publishes as often as the most demanding device wants. The
// keep-alive count makes the server send an empty publish response at least every
// `keepAliveMs` when nothing changed: that is how the station knows an unchanging value is
// still current (a constant SoC of 100 % produces no notifications at all), so it must
// come well within the stale limit of the devices' points.

export interface Demand {
  publishingIntervalMs: number;
  /** Longest acceptable silence of the server (empty publish responses fill the gaps). */
  keepAliveMs: number;
}

export interface SubscriptionTiming {
  publishingIntervalMs: number;
  maxKeepAliveCount: number;
  lifetimeCount: number;
}

export const DEFAULT_PUBLISHING_INTERVAL_MS = 1000;
export const DEFAULT_KEEP_ALIVE_MS = 1000;
/** The server keeps an unattended subscription this long (at least 3 keep-alive periods). */
const LIFETIME_MS = 30_000;

export function subscriptionTiming(demands: readonly Demand[]): SubscriptionTiming {
  const publishingIntervalMs = demands.length
    ? Math.max(1, Math.min(...demands.map((d) => d.publishingIntervalMs)))
    : DEFAULT_PUBLISHING_INTERVAL_MS;
  const keepAliveMs = demands.length
    ? Math.min(...demands.map((d) => d.keepAliveMs))
    : DEFAULT_KEEP_ALIVE_MS;
  const maxKeepAliveCount = Math.max(
    1,
    Math.min(1000, Math.floor(keepAliveMs / publishingIntervalMs)),
  );
  const lifetimeCount = Math.max(
    3 * maxKeepAliveCount,
    Math.ceil(LIFETIME_MS / publishingIntervalMs),
  );
  return { publishingIntervalMs, maxKeepAliveCount, lifetimeCount };
}

export const sameTiming = (a: SubscriptionTiming, b: SubscriptionTiming): boolean =>
  a.publishingIntervalMs === b.publishingIntervalMs && a.maxKeepAliveCount === b.maxKeepAliveCount;
