// Reading current values: typed, with the status code and both timestamps (node-opcua's
// Read asks for both), for one or many nodes in one request. A node that fails (unknown,
// not readable) carries its own problem; the others are still returned.
import { AttributeIds, DataType, type DataValue } from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import { resolveAll } from './node-id';
import { opcuaError, type OpcuaError } from './opcua-error';
import type { OpcuaSession } from './opcua-session';
import { failureOf, statusProblem } from './operation-errors';
import { variantToJson, type JsonValue } from './value-json';

export interface ReadValue {
  /** As asked for (e.g. nsu=… forms stay as typed). */
  nodeId: string;
  value: JsonValue;
  /** The value's built-in type, e.g. "Double"; null when there is no value. */
  dataType: string | null;
  isArray: boolean;
  /** e.g. "Good", "UncertainLastUsableValue", "BadNodeIdUnknown". */
  statusCode: string;
  /** ISO 8601; null when the server sent none. */
  sourceTimestamp: string | null;
  serverTimestamp: string | null;
  /** Why there is no usable value (node_not_found, not_readable…); null when Good. */
  problem: OpcuaError | null;
}

/** Above what servers accept in one Read (OPC UA's MaxNodesPerRead is often 1000+). */
const MAX_NODES = 1000;

export async function readValues(
  s: OpcuaSession,
  nodeIds: readonly string[],
): Promise<Result<ReadValue[], OpcuaError>> {
  if (nodeIds.length === 0) return fail(opcuaError('bad_options', 'no node ids to read'));
  if (nodeIds.length > MAX_NODES)
    return fail(
      opcuaError('bad_options', `at most ${MAX_NODES} nodes per read, got ${nodeIds.length}`),
    );
  const ids = await resolveAll(s, nodeIds);
  if (!ids.ok) return ids;
  let values: DataValue[];
  try {
    values = await s.session.read(
      ids.value.map((nodeId) => ({ nodeId, attributeId: AttributeIds.Value })),
      0,
    );
  } catch (error) {
    return fail(failureOf(error, s, 'read'));
  }
  return ok(values.map((v, i) => toReadValue(s, nodeIds[i]!, v)));
}

function toReadValue(s: OpcuaSession, nodeId: string, v: DataValue): ReadValue {
  const status = v.statusCode;
  const hasValue = v.value && v.value.dataType !== DataType.Null;
  // Uncertain values are still values (the status says so); only Bad ones are problems.
  const problem = status.isBad() ? statusProblem(status, nodeId, s, 'node') : null;
  return {
    nodeId,
    value: hasValue ? variantToJson(v.value) : null,
    dataType: hasValue ? DataType[v.value.dataType]! : null,
    isArray: Boolean(hasValue && v.value.arrayType !== 0),
    statusCode: status.name,
    sourceTimestamp: v.sourceTimestamp ? v.sourceTimestamp.toISOString() : null,
    serverTimestamp: v.serverTimestamp ? v.serverTimestamp.toISOString() : null,
    problem,
  };
}
