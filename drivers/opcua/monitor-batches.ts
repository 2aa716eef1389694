// How monitored items are split into CreateMonitoredItems calls. A server refuses a call
// with more items than its MaxMonitoredItemsPerCall (BadTooManyOperations), and one huge
// call can outlast the request timeout, so items go in batches of at most
// min(configured batch size, the server's limit). node-opcua's group API gives one call one
// set of monitoring parameters, so items are grouped by sampling interval and deadband
// first; a site rarely has more than a few such sets.
import { AttributeIds, VariableIds, type ClientSession } from 'node-opcua';

export const DEFAULT_BATCH_SIZE = 500;

export interface MonitorRequest {
  /** Text form, e.g. `ns=2;s=Battery.PowerW` or `nsu=urn:vendor;s=Tag`. */
  nodeId: string;
  /** How often the server samples the node; 0 = as fast as it can. */
  samplingIntervalMs: number;
  /** Absolute deadband in the node's unit; null: every change is reported. */
  deadband: number | null;
}

/** Items with equal keys are monitored once and shared. */
export const monitorKey = (r: MonitorRequest): string =>
  `${r.nodeId}|${r.samplingIntervalMs}|${r.deadband ?? ''}`;

const parameterKey = (r: MonitorRequest): string => `${r.samplingIntervalMs}|${r.deadband ?? ''}`;

/** Batches of at most `batchSize` items, each batch with one set of monitoring parameters. */
export function planBatches<T>(
  items: readonly T[],
  batchSize: number,
  requestOf: (item: T) => MonitorRequest,
): T[][] {
  const size = Math.max(1, Math.floor(batchSize));
  const bySet = new Map<string, T[]>();
  for (const item of items) {
    const key = parameterKey(requestOf(item));
    const list = bySet.get(key);
    if (list) list.push(item);
    else bySet.set(key, [item]);
  }
  const batches: T[][] = [];
  for (const list of bySet.values())
    for (let i = 0; i < list.length; i += size) batches.push(list.slice(i, i + size));
  return batches;
}

export interface MonitorLimits {
  /** Server_ServerCapabilities_OperationLimits_MaxMonitoredItemsPerCall; null: unknown/none. */
  maxMonitoredItemsPerCall: number | null;
  /** Server_ServerCapabilities_MaxMonitoredItemsPerSubscription (OPC UA 1.05); null: unknown. */
  maxMonitoredItemsPerSubscription: number | null;
}

/** Reads the server's limits; a server without them (or a failed read) means "no limit known". */
export async function readMonitorLimits(session: ClientSession): Promise<MonitorLimits> {
  const ids = [
    VariableIds.Server_ServerCapabilities_OperationLimits_MaxMonitoredItemsPerCall,
    VariableIds.Server_ServerCapabilities_MaxMonitoredItemsPerSubscription,
  ];
  try {
    const values = await session.read(
      ids.map((id) => ({ nodeId: `i=${id}`, attributeId: AttributeIds.Value })),
    );
    const limit = (i: number): number | null => {
      const dv = values[i];
      const v: unknown = dv?.statusCode.isGood() ? dv.value.value : null;
      return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : null;
    };
    return { maxMonitoredItemsPerCall: limit(0), maxMonitoredItemsPerSubscription: limit(1) };
  } catch {
    return { maxMonitoredItemsPerCall: null, maxMonitoredItemsPerSubscription: null };
  }
}
