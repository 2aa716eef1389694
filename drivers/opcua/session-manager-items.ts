// The monitored items of one server: one entry per distinct (node, sampling, deadband),
// shared by every device that asks for it, created on the current subscription in batches
// and deleted when the last device lets go.
import { performance } from 'node:perf_hooks';
import type { ClientSessionRawSubscriptionService, DataValue } from 'node-opcua';
import { ok, type Result } from '../../core/result';
import { settleWithin } from './deadline';
import { planBatches, type MonitorRequest } from './monitor-batches';
import type { MonitoredValue } from './monitor-values';
import { resolveOnServer } from './node-id';
import type { OpcuaError } from './opcua-error';
import type { Live, ServerConnection } from './session-manager-server';
import { createBatch, type BatchItem } from './subscription-items';

export class ItemEntry {
  refs = 0;
  /** Tried on the current subscription (monitored, or refused: see error). */
  created = false;
  monitoredItemId: number | null = null;
  /** Why the server does not monitor it, e.g. `BadNodeIdUnknown`; null when it does. */
  error: string | null = null;
  /** The latest value on the current subscription; null before the first one. */
  value: MonitoredValue | null = null;

  constructor(
    readonly key: string,
    readonly request: MonitorRequest,
  ) {}

  /** The session is gone: nothing of it counts any more. */
  forget(): void {
    this.created = false;
    this.monitoredItemId = null;
    this.error = null;
    this.value = null;
  }
}

interface Pending extends BatchItem {
  entry: ItemEntry;
}

/**
 * Creates every wanted item not yet on the subscription. A server that refuses a batch as
 * too large (BadTooManyOperations) without announcing its limit gets smaller batches;
 * any other failure of a call is returned and ends the session.
 */
export async function createItems(
  conn: ServerConnection,
  live: Live,
  onValue: (entry: ItemEntry, dataValue: DataValue) => void,
): Promise<Result<void, OpcuaError>> {
  const subscription = live.subscription;
  if (!subscription) return ok(undefined);
  let pending: Pending[] = [];
  for (const entry of conn.items.values()) {
    if (entry.created || entry.refs === 0) continue;
    const nodeId = await resolveOnServer(live.session, entry.request.nodeId);
    if (conn.live() !== live) return ok(undefined);
    if (nodeId.ok) pending.push({ entry, nodeId: nodeId.value, request: entry.request });
    else {
      entry.created = true;
      entry.error = nodeId.error.message;
    }
  }
  while (pending.length > 0) {
    const size = conn.batchSize(live);
    const batch = planBatches(pending, size, (p) => p.request)[0] ?? [];
    const startedMs = performance.now();
    const created = await createBatch(
      subscription,
      batch,
      (index, dataValue) => {
        const item = batch[index];
        if (item) onValue(item.entry, dataValue);
      },
      conn.settings.requestTimeoutMs,
    );
    if (conn.live() !== live) return ok(undefined);
    if (!created.ok) {
      if (created.error.statusCode !== 'BadTooManyOperations' || batch.length === 1) return created;
      conn.batchLimit = Math.max(1, Math.floor(batch.length / 2));
      continue;
    }
    live.batches.push(batch.length);
    live.batchMs.push(Math.round((performance.now() - startedMs) * 10) / 10);
    created.value.results.forEach((result, i) => {
      const entry = batch[i]?.entry;
      if (!entry) return;
      entry.created = true;
      if (result.ok) entry.monitoredItemId = result.item.monitoredItemId ?? null;
      else entry.error = result.status;
    });
    const done = new Set(batch);
    pending = pending.filter((p) => !done.has(p));
  }
  return ok(undefined);
}

/** Deletes items nobody wants any more; a failure only leaves them until the next session. */
export async function deleteItems(
  live: Live,
  entries: readonly ItemEntry[],
  batchSize: number,
  timeoutMs: number,
): Promise<void> {
  const subscriptionId = live.subscription?.subscriptionId;
  const ids = entries.flatMap((e) => (e.monitoredItemId === null ? [] : [e.monitoredItemId]));
  if (subscriptionId === undefined || ids.length === 0) return;
  // node-opcua's session implements the raw service but its ClientSession type omits it.
  const raw = live.session.session as unknown as ClientSessionRawSubscriptionService;
  for (let i = 0; i < ids.length; i += batchSize) {
    const monitoredItemIds = ids.slice(i, i + batchSize);
    await settleWithin(raw.deleteMonitoredItems({ subscriptionId, monitoredItemIds }), timeoutMs);
  }
}
