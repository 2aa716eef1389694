// One CreateMonitoredItems call: a batch of items with one set of monitoring parameters,
// created through node-opcua's ClientMonitoredItemGroup. The group is made synchronously
// and its "changed" listener attached before the request goes out, so no initial value can
// slip past. Each item comes back with its own status (BadNodeIdUnknown, a filter the
// server does not support…); only a failure of the whole call is an error.
import {
  AttributeIds,
  ClientMonitoredItemGroup,
  DataChangeFilter,
  DataChangeTrigger,
  DeadbandType,
  TimestampsToReturn,
  type ClientMonitoredItemBase,
  type ClientSubscription,
  type DataValue,
  type NodeId,
} from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import { within } from './deadline';
import type { MonitorRequest } from './monitor-batches';
import { messageOf, opcuaError, type OpcuaError } from './opcua-error';

export interface BatchItem {
  nodeId: NodeId;
  request: MonitorRequest;
}

export interface CreatedBatch {
  group: ClientMonitoredItemGroup;
  /** Per item: the monitored item when Good, else the status name the server gave. */
  results: ({ ok: true; item: ClientMonitoredItemBase } | { ok: false; status: string })[];
}

/** Absolute deadband as a DataChangeFilter; none without a deadband (server default). */
function filterFor(request: MonitorRequest): DataChangeFilter | null {
  if (request.deadband === null || request.deadband <= 0) return null;
  return new DataChangeFilter({
    trigger: DataChangeTrigger.StatusValue,
    deadbandType: DeadbandType.Absolute,
    deadbandValue: request.deadband,
  });
}

export async function createBatch(
  subscription: ClientSubscription,
  items: readonly BatchItem[],
  onValue: (index: number, dataValue: DataValue) => void,
  timeoutMs: number,
): Promise<Result<CreatedBatch, OpcuaError>> {
  const first = items[0];
  if (!first) return fail(opcuaError('bad_options', 'an empty batch of monitored items'));
  let group: ClientMonitoredItemGroup;
  try {
    group = ClientMonitoredItemGroup.create(
      subscription,
      items.map((i) => ({ nodeId: i.nodeId, attributeId: AttributeIds.Value })),
      {
        samplingInterval: first.request.samplingIntervalMs,
        filter: filterFor(first.request),
        // Only the newest value matters to a poller; older ones are dropped at the server.
        queueSize: 1,
        discardOldest: true,
      },
      TimestampsToReturn.Both,
    );
  } catch (error) {
    return fail(opcuaError('server_error', `cannot monitor items: ${messageOf(error)}`));
  }
  group.on('changed', (_item: ClientMonitoredItemBase, dataValue: DataValue, index: number) =>
    onValue(index, dataValue),
  );
  const settled = new Promise<string | null>((resolve) => {
    group.once('initialized', () => resolve(null));
    group.once('err', (message: string) => resolve(message));
    group.once('terminated', (error?: Error) =>
      resolve(error ? messageOf(error) : 'the monitored items were terminated'),
    );
  });
  const outcome = await within(settled, timeoutMs);
  if (!outcome.done) {
    return fail(
      opcuaError('timeout', `creating ${items.length} monitored items took over ${timeoutMs} ms`),
    );
  }
  if (outcome.value !== null) {
    return fail(
      opcuaError('server_error', `creating monitored items failed: ${outcome.value}`, {
        statusCode: statusName(outcome.value),
      }),
    );
  }
  return ok({
    group,
    results: group.monitoredItems.map((item) =>
      item.statusCode.isGood()
        ? { ok: true as const, item }
        : { ok: false as const, status: item.statusCode.name },
    ),
  });
}

/** `BadTooManyOperations` from a node-opcua error message, if it names one. */
export function statusName(message: string): string | undefined {
  return /\b(Bad[A-Za-z]+)/.exec(message)?.[1];
}
