// Node ids as technicians type them and site files store them: the standard text forms
// (i=85, ns=2;s=BatteryContainer.Alarms, ns=1;g=…, ns=1;b=…), standard names such as
// ObjectsFolder, and nsu=<namespace URI>;… which survives a server renumbering its
// namespaces. Syntax is checked before anything is sent.
import { resolveNodeId, type NodeId } from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import './opcua-log';
import { messageOf, opcuaError, type OpcuaError } from './opcua-error';
import type { OpcuaSession } from './opcua-session';

const WITH_URI = /^nsu=([^;]+);(.+)$/;

/** Syntax only: a NodeId, or the namespace URI still to be looked up. */
export function parseNodeId(
  text: string,
): Result<{ nodeId: NodeId } | { namespaceUri: string; rest: string }, OpcuaError> {
  const trimmed = text.trim();
  const withUri = WITH_URI.exec(trimmed);
  if (withUri) {
    const rest = withUri[2]!;
    const checked = parseNodeId(`ns=1;${rest}`);
    if (!checked.ok) return fail(badNodeId(text));
    return ok({ namespaceUri: withUri[1]!, rest });
  }
  if (trimmed === '' || /^(ns=\d+;)?s=$/.test(trimmed)) return fail(badNodeId(text));
  try {
    return ok({ nodeId: resolveNodeId(trimmed) });
  } catch {
    return fail(badNodeId(text));
  }
}

const badNodeId = (text: string): OpcuaError =>
  opcuaError(
    'bad_node_id',
    `"${text}" is not a node id (e.g. i=85, ns=2;s=BatteryContainer.Alarms, nsu=urn:example;s=Tag)`,
  );

/** A NodeId on this session's server; nsu= forms are looked up in its namespace array. */
export async function resolveOnServer(
  session: OpcuaSession,
  text: string,
): Promise<Result<NodeId, OpcuaError>> {
  const parsed = parseNodeId(text);
  if (!parsed.ok) return parsed;
  if ('nodeId' in parsed.value) return ok(parsed.value.nodeId);
  const { namespaceUri, rest } = parsed.value;
  let namespaces: string[];
  try {
    namespaces = await session.namespaceArray();
  } catch (error) {
    return fail(opcuaError('server_error', `cannot read the namespace array: ${messageOf(error)}`));
  }
  const index = namespaces.indexOf(namespaceUri);
  if (index < 0)
    return fail(
      opcuaError('node_not_found', `${session.endpointUrl} has no namespace ${namespaceUri}`, {
        nodeId: text,
      }),
    );
  return ok(resolveNodeId(`ns=${index};${rest}`));
}

/** Every id resolved, or the first failure. */
export async function resolveAll(
  session: OpcuaSession,
  texts: readonly string[],
): Promise<Result<NodeId[], OpcuaError>> {
  const ids: NodeId[] = [];
  for (const text of texts) {
    const id = await resolveOnServer(session, text);
    if (!id.ok) return id;
    ids.push(id.value);
  }
  return ok(ids);
}
