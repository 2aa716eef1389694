// Browsing the address space for commissioning: the children of a node, level by level to
// the depth asked, each with what a technician picks nodes by (class, data type, access,
// value rank). Every level is one batched Browse plus BrowseNext for continuation points
// (servers hand out large folders in pages), then one batched Read for the variables'
// attributes. Node count is capped so a huge server cannot flood the caller.
import {
  BrowseDirection,
  NodeClass,
  ReferenceTypeIds,
  resolveNodeId,
  type BrowseResult,
  type ClientSession,
  type NodeId,
  type ReferenceDescription,
} from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import { typeInfo } from './data-types';
import { readNodeFacts, type NodeFacts } from './node-attributes';
import { resolveOnServer } from './node-id';
import { opcuaError, type OpcuaError } from './opcua-error';
import type { OpcuaSession } from './opcua-session';
import { failureOf } from './operation-errors';

export interface BrowsedNode {
  nodeId: string;
  browseName: string;
  displayName: string;
  nodeClass: string;
  /** Variables: the data type's name, e.g. "Double" or "OperatingModeEnum". */
  dataType: string | null;
  /** Variables: -1 scalar, 1 one-dimensional array, … */
  valueRank: number | null;
  /** Variables: what this session's user may do. */
  access: { read: boolean; write: boolean } | null;
  /** Present when the node was browsed (within the depth); empty when it has none. */
  children?: BrowsedNode[];
}

export interface BrowseOptions {
  /** Start node; default the Objects folder (i=85). */
  nodeId?: string;
  /** 1: the start node's children; 2: and theirs… (1–10, default 1). */
  depth?: number;
  /** Stop adding nodes after this many (default 2000). */
  maxNodes?: number;
  /** References per node and request the server is asked for (default 1000). */
  maxReferencesPerRequest?: number;
}

export interface BrowseTree {
  root: BrowsedNode;
  nodeCount: number;
  /** True when maxNodes cut the tree short. */
  truncated: boolean;
}

export const MAX_BROWSE_DEPTH = 10;

export async function browseNode(
  s: OpcuaSession,
  options: BrowseOptions = {},
): Promise<Result<BrowseTree, OpcuaError>> {
  const depth = options.depth ?? 1;
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_BROWSE_DEPTH)
    return fail(
      opcuaError(
        'bad_options',
        `depth must be an integer from 1 to ${MAX_BROWSE_DEPTH}, got ${depth}`,
      ),
    );
  const start = options.nodeId
    ? await resolveOnServer(s, options.nodeId)
    : ok(resolveNodeId('ObjectsFolder'));
  if (!start.ok) return start;
  try {
    return await browseTree(s, start.value, depth, options);
  } catch (error) {
    return fail(failureOf(error, s, 'browse'));
  }
}

async function browseTree(
  s: OpcuaSession,
  startId: NodeId,
  depth: number,
  options: BrowseOptions,
): Promise<Result<BrowseTree, OpcuaError>> {
  const [startFacts] = await readNodeFacts(s.session, [startId]);
  if (!startFacts)
    return fail(
      opcuaError(
        'node_not_found',
        `node ${startId.toString()} does not exist on ${s.endpointUrl}`,
        {
          nodeId: startId.toString(),
        },
      ),
    );
  const root = await describe(s.session, startFacts);
  const maxNodes = options.maxNodes ?? 2000;
  const seen = new Set([startId.toString()]);
  let level: BrowsedNode[] = [root];
  let nodeCount = 0;
  let truncated = false;
  for (let d = 0; d < depth && level.length > 0 && !truncated; d++) {
    const results = await browseAll(
      s.session,
      level.map((n) => resolveNodeId(n.nodeId)),
      options.maxReferencesPerRequest ?? 1000,
      maxNodes,
    );
    const next: BrowsedNode[] = [];
    const pending: { parent: BrowsedNode; refs: ReferenceDescription[] }[] = [];
    level.forEach((parent, i) => {
      const refs = (results[i] ?? []).filter((r) => {
        const id = r.nodeId.toString();
        if (seen.has(id)) return false; // hierarchies can loop on odd servers
        seen.add(id);
        return true;
      });
      const room = Math.max(0, maxNodes - nodeCount);
      if (refs.length > room) truncated = true;
      const kept = refs.slice(0, room);
      nodeCount += kept.length;
      pending.push({ parent, refs: kept });
    });
    const facts = await readNodeFacts(
      s.session,
      pending.flatMap((p) => p.refs.map((r) => r.nodeId)),
    );
    let k = 0;
    for (const { parent, refs } of pending) {
      parent.children = [];
      for (const ref of refs) {
        const child = await describe(s.session, facts[k++] ?? null, ref);
        parent.children.push(child);
        if (ref.nodeClass === NodeClass.Object || ref.nodeClass === NodeClass.Variable)
          next.push(child);
      }
    }
    level = next;
  }
  return ok({ root, nodeCount, truncated });
}

/** Forward hierarchical references of each node, every page of them. */
async function browseAll(
  session: ClientSession,
  nodeIds: NodeId[],
  maxReferences: number,
  cap: number,
): Promise<ReferenceDescription[][]> {
  const all: ReferenceDescription[][] = [];
  for (let i = 0; i < nodeIds.length; i += 100) {
    const batch = nodeIds.slice(i, i + 100).map((nodeId) => ({
      nodeId,
      browseDirection: BrowseDirection.Forward,
      referenceTypeId: ReferenceTypeIds.HierarchicalReferences,
      includeSubtypes: true,
      nodeClassMask: 0,
      resultMask: 0x3f,
    }));
    const results = await withMaxReferences(session, maxReferences, () => session.browse(batch));
    for (const result of results) all.push(await followContinuation(session, result, cap));
  }
  return all;
}

async function followContinuation(
  session: ClientSession,
  first: BrowseResult,
  cap: number,
): Promise<ReferenceDescription[]> {
  const refs = [...(first.references ?? [])];
  let point = first.continuationPoint;
  while (point && point.length > 0) {
    if (refs.length > cap) {
      // Enough for the caller: let the server free the rest.
      await session.browseNext(point, true);
      break;
    }
    const page = await session.browseNext(point, false);
    if (page.statusCode.isBad()) break;
    refs.push(...(page.references ?? []));
    point = page.continuationPoint;
  }
  return refs;
}

/** node-opcua reads the page size from the session when it builds the request. */
function withMaxReferences<T>(session: ClientSession, max: number, call: () => T): T {
  const before = session.requestedMaxReferencesPerNode;
  session.requestedMaxReferencesPerNode = max;
  try {
    return call();
  } finally {
    session.requestedMaxReferencesPerNode = before;
  }
}

async function describe(
  session: ClientSession,
  facts: NodeFacts | null,
  ref?: ReferenceDescription,
): Promise<BrowsedNode> {
  const isVariable = facts?.nodeClass === 'Variable';
  const dataType =
    isVariable && facts?.dataTypeId ? (await typeInfo(session, facts.dataTypeId)).name : null;
  return {
    nodeId: (facts?.nodeId ?? ref!.nodeId).toString(),
    browseName: facts?.browseName ?? ref?.browseName.toString() ?? '',
    displayName: facts?.displayName ?? ref?.displayName.text ?? '',
    nodeClass:
      facts?.nodeClass ?? (ref ? (NodeClass[ref.nodeClass] ?? 'Unspecified') : 'Unspecified'),
    dataType,
    valueRank: isVariable ? (facts?.valueRank ?? null) : null,
    access:
      isVariable && facts?.access
        ? { read: facts.access.userRead, write: facts.access.write && facts.access.userWrite }
        : null,
  };
}
