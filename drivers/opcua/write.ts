// Writing one variable, in two steps so that a UI and the CLI can put a confirmation in
// between (as for Modbus writes):
// 1. planOpcuaWrite reads what the node is — class, data type, value rank, access levels,
//    current value, EURange — and refuses unknown nodes, read-only nodes and values that do
//    not fit, before anything is written;
// 2. executeOpcuaWrite writes the coerced value and reads back what the server now reports.
import {
  AttributeIds,
  BrowseDirection,
  DataType,
  ReferenceTypeIds,
  Variant,
  VariantArrayType,
  type NodeId,
} from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import { checkRange, coerceInput, type CoercedValue, type InputValue } from './coerce';
import { typeInfo } from './data-types';
import { readNodeFacts } from './node-attributes';
import { resolveOnServer } from './node-id';
import { opcuaError, type OpcuaError } from './opcua-error';
import type { OpcuaSession } from './opcua-session';
import { failureOf, statusProblem } from './operation-errors';
import { variantToJson, type JsonValue } from './value-json';

export interface OpcuaWriteRequest {
  nodeId: string;
  value: InputValue;
}

export interface OpcuaWritePlan {
  nodeId: string;
  displayName: string;
  /** The node's data type, e.g. "Double", "OperatingModeEnum". */
  dataType: string;
  oldValue: JsonValue;
  newValue: JsonValue;
  /** Enumerations: the names of the old and new value. */
  oldSymbol: string | null;
  newSymbol: string | null;
  /** The node's EURange, when it has one. */
  range: { low: number; high: number } | null;
  /** @internal what executeOpcuaWrite sends */
  readonly target: {
    nodeId: NodeId;
    coerced: CoercedValue;
    enumValues: Map<number, string> | null;
  };
}

export interface OpcuaWriteOutcome {
  plan: OpcuaWritePlan;
  readBack: JsonValue;
  readBackSymbol: string | null;
  /** Whether the server now reports the value written (servers may clamp or round). */
  matches: boolean;
}

export async function planOpcuaWrite(
  s: OpcuaSession,
  request: OpcuaWriteRequest,
): Promise<Result<OpcuaWritePlan, OpcuaError>> {
  const id = await resolveOnServer(s, request.nodeId);
  if (!id.ok) return id;
  try {
    return await plan(s, id.value, request);
  } catch (error) {
    return fail(failureOf(error, s, `write ${request.nodeId}`));
  }
}

async function plan(
  s: OpcuaSession,
  nodeId: NodeId,
  request: OpcuaWriteRequest,
): Promise<Result<OpcuaWritePlan, OpcuaError>> {
  const label = request.nodeId;
  const [facts] = await readNodeFacts(s.session, [nodeId]);
  const refuse = (code: 'node_not_found' | 'not_writable' | 'bad_type', why: string) =>
    fail(
      opcuaError(code, `${label}${facts ? ` (${facts.displayName})` : ''} ${why}`, {
        nodeId: label,
      }),
    );
  if (!facts) return refuse('node_not_found', `does not exist on ${s.endpointUrl}`);
  if (facts.nodeClass !== 'Variable')
    return refuse(
      'not_writable',
      `is ${article(facts.nodeClass)} ${facts.nodeClass}, not a variable`,
    );
  if (!facts.access?.write) return refuse('not_writable', 'is read-only');
  if (!facts.access.userWrite)
    return refuse('not_writable', 'may not be written by this user (UserAccessLevel)');
  if (facts.valueRank !== null && facts.valueRank >= 0)
    return refuse('bad_type', 'is an array; writing arrays is not supported');

  const [current] = await s.session.read([{ nodeId, attributeId: AttributeIds.Value }]);
  const info = facts.dataTypeId ? await typeInfo(s.session, facts.dataTypeId) : null;
  // Abstract types (Number, BaseDataType) take the type the node holds now.
  const builtIn = info?.builtIn ?? current?.value.dataType ?? DataType.Null;
  if (builtIn === DataType.Null)
    return refuse('bad_type', 'has no concrete data type and no value to take one from');
  const target = {
    builtIn,
    name: info?.name ?? DataType[builtIn]!,
    enumValues: info?.enumValues ?? null,
  };
  const range = await euRangeOf(s, nodeId);
  const coerced = coerceInput(request.value, target, label);
  if (!coerced.ok) return coerced;
  const inRange = checkRange(coerced.value, range, label);
  if (!inRange.ok) return inRange;

  const oldValue = current && !current.statusCode.isBad() ? variantToJson(current.value) : null;
  return ok({
    nodeId: label,
    displayName: facts.displayName,
    dataType: target.name,
    oldValue,
    newValue: coerced.value.json,
    oldSymbol: typeof oldValue === 'number' ? (target.enumValues?.get(oldValue) ?? null) : null,
    newSymbol: coerced.value.symbol,
    range,
    target: { nodeId, coerced: coerced.value, enumValues: target.enumValues },
  });
}

export async function executeOpcuaWrite(
  s: OpcuaSession,
  p: OpcuaWritePlan,
): Promise<Result<OpcuaWriteOutcome, OpcuaError>> {
  const { nodeId, coerced } = p.target;
  try {
    const status = await s.session.write({
      nodeId,
      attributeId: AttributeIds.Value,
      value: {
        value: new Variant({
          dataType: coerced.dataType,
          arrayType: VariantArrayType.Scalar,
          value: coerced.variantValue,
        }),
      },
    });
    // GoodClamped and friends are accepted writes; the read-back shows what was kept.
    if (status.isBad()) return fail(statusProblem(status, p.nodeId, s, 'write to'));
    const [after] = await s.session.read([{ nodeId, attributeId: AttributeIds.Value }]);
    const readBack = after && !after.statusCode.isBad() ? variantToJson(after.value) : null;
    return ok({
      plan: p,
      readBack,
      readBackSymbol:
        typeof readBack === 'number' ? (p.target.enumValues?.get(readBack) ?? null) : null,
      matches: JSON.stringify(readBack) === JSON.stringify(p.newValue),
    });
  } catch (error) {
    return fail(failureOf(error, s, `write ${p.nodeId}`));
  }
}

/** Plan and write in one go, for callers without a confirmation step. */
export async function writeOpcuaValue(
  s: OpcuaSession,
  request: OpcuaWriteRequest,
): Promise<Result<OpcuaWriteOutcome, OpcuaError>> {
  const planned = await planOpcuaWrite(s, request);
  return planned.ok ? executeOpcuaWrite(s, planned.value) : planned;
}

const article = (word: string) => (/^[AEIOU]/.test(word) ? 'an' : 'a');

/** The node's EURange property (AnalogItems have one), or null. */
async function euRangeOf(
  s: OpcuaSession,
  nodeId: NodeId,
): Promise<{ low: number; high: number } | null> {
  const result = await s.session.browse({
    nodeId,
    browseDirection: BrowseDirection.Forward,
    referenceTypeId: ReferenceTypeIds.HasProperty,
    includeSubtypes: true,
    nodeClassMask: 0,
    resultMask: 0x3f,
  });
  const property = (result.references ?? []).find(
    (r) => r.browseName.name === 'EURange' && r.browseName.namespaceIndex === 0,
  );
  if (!property) return null;
  const [value] = await s.session.read([
    { nodeId: property.nodeId, attributeId: AttributeIds.Value },
  ]);
  const range = value?.value.value as { low?: unknown; high?: unknown } | null;
  if (!value || value.statusCode.isBad() || !range) return null;
  const { low, high } = range;
  return typeof low === 'number' && typeof high === 'number' ? { low, high } : null;
}
