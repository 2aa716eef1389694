// Calling a method with typed inputs: the method's InputArguments say how many values it
// takes and of which types, so each value is coerced (and refused) here, with the
// argument's name in the message, before the call is sent. Outputs come back named by the
// method's OutputArguments.
import {
  BrowseDirection,
  DataType,
  NodeClass,
  ReferenceTypeIds,
  Variant,
  VariantArrayType,
  type Argument,
  type NodeId,
} from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import { coerceInput, type InputValue } from './coerce';
import { typeInfo } from './data-types';
import { readNodeFacts } from './node-attributes';
import { resolveOnServer } from './node-id';
import { opcuaError, type OpcuaError } from './opcua-error';
import type { OpcuaSession } from './opcua-session';
import { failureOf, statusProblem } from './operation-errors';
import { variantToJson, type JsonValue } from './value-json';

export interface OpcuaCallRequest {
  methodId: string;
  /** The object the method is called on; default: the object the method belongs to. */
  objectId?: string;
  inputs?: InputValue[];
}

export interface OpcuaCallOutput {
  name: string;
  dataType: string | null;
  value: JsonValue;
}

export interface OpcuaCallResult {
  methodId: string;
  objectId: string;
  outputs: OpcuaCallOutput[];
}

export async function callMethod(
  s: OpcuaSession,
  request: OpcuaCallRequest,
): Promise<Result<OpcuaCallResult, OpcuaError>> {
  const methodId = await resolveOnServer(s, request.methodId);
  if (!methodId.ok) return methodId;
  const objectId = request.objectId ? await resolveOnServer(s, request.objectId) : null;
  if (objectId && !objectId.ok) return objectId;
  try {
    return await call(s, request, methodId.value, objectId?.value ?? null);
  } catch (error) {
    return fail(failureOf(error, s, `call ${request.methodId}`));
  }
}

async function call(
  s: OpcuaSession,
  request: OpcuaCallRequest,
  methodId: NodeId,
  givenObjectId: NodeId | null,
): Promise<Result<OpcuaCallResult, OpcuaError>> {
  const label = request.methodId;
  const [facts] = await readNodeFacts(s.session, [methodId]);
  if (!facts || facts.nodeClass !== 'Method') {
    const what = facts
      ? `is ${facts.nodeClass === 'Object' ? 'an' : 'a'} ${facts.nodeClass}, not a method`
      : `does not exist on ${s.endpointUrl}`;
    return fail(opcuaError('node_not_found', `method ${label} ${what}`, { nodeId: label }));
  }
  const objectId = givenObjectId ?? (await ownerOf(s, methodId));
  if (!objectId)
    return fail(
      opcuaError('node_not_found', `method ${label} belongs to no object; give the object id`),
    );
  const definition = await s.session.getArgumentDefinition(methodId);
  const inputs = await coerceArguments(
    s,
    label,
    definition.inputArguments ?? [],
    request.inputs ?? [],
  );
  if (!inputs.ok) return inputs;
  const result = await s.session.call({ objectId, methodId, inputArguments: inputs.value });
  if (result.statusCode.isBad()) {
    const badInput = (result.inputArgumentResults ?? []).findIndex((r) => r.isBad());
    const problem = statusProblem(result.statusCode, label, s, 'method');
    const argument = definition.inputArguments?.[badInput];
    return fail(
      argument
        ? { ...problem, message: `${problem.message}; argument ${argument.name} was refused` }
        : problem,
    );
  }
  const outputs = definition.outputArguments ?? [];
  return ok({
    methodId: label,
    objectId: objectId.toString(),
    outputs: (result.outputArguments ?? []).map((v, i) => ({
      name: outputs[i]?.name ?? `output${i}`,
      dataType: DataType[v.dataType] ?? null,
      value: variantToJson(v),
    })),
  });
}

async function coerceArguments(
  s: OpcuaSession,
  method: string,
  definitions: Argument[],
  inputs: InputValue[],
): Promise<Result<Variant[], OpcuaError>> {
  if (inputs.length !== definitions.length) {
    const names = definitions.map((d) => d.name).join(', ');
    return fail(
      opcuaError(
        'bad_arguments',
        `method ${method} takes ${definitions.length} argument${definitions.length === 1 ? '' : 's'}${names ? ` (${names})` : ''}, got ${inputs.length}`,
      ),
    );
  }
  const variants: Variant[] = [];
  for (const [i, definition] of definitions.entries()) {
    const label = `argument ${definition.name ?? i}`;
    if (definition.valueRank >= 0)
      return fail(
        opcuaError('bad_type', `${label} is an array; array arguments are not supported`),
      );
    const info = await typeInfo(s.session, definition.dataType);
    if (info.builtIn === null)
      return fail(opcuaError('bad_type', `${label} has the abstract type ${info.name}`));
    const coerced = coerceInput(inputs[i]!, { ...info, builtIn: info.builtIn }, label);
    if (!coerced.ok) return coerced;
    variants.push(
      new Variant({
        dataType: coerced.value.dataType,
        arrayType: VariantArrayType.Scalar,
        value: coerced.value.variantValue,
      }),
    );
  }
  return ok(variants);
}

/** The object holding the method (inverse HasComponent). */
async function ownerOf(s: OpcuaSession, methodId: NodeId): Promise<NodeId | null> {
  const result = await s.session.browse({
    nodeId: methodId,
    browseDirection: BrowseDirection.Inverse,
    referenceTypeId: ReferenceTypeIds.HasComponent,
    includeSubtypes: true,
    nodeClassMask: 0,
    resultMask: 0x3f,
  });
  const owner = (result.references ?? []).find(
    (r) => r.nodeClass === NodeClass.Object || r.nodeClass === NodeClass.ObjectType,
  );
  return owner?.nodeId ?? null;
}
