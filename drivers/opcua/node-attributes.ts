// The attributes that say what a node is and what may be done with it, read for many
// nodes in one request (chunked below typical server limits): class, names, data type,
// value rank and access levels. A node the server does not know comes back as null.
import {
  AccessLevelFlag,
  AttributeIds,
  NodeClass,
  type ClientSession,
  type DataValue,
  type NodeId,
} from 'node-opcua';

export interface NodeFacts {
  nodeId: NodeId;
  nodeClass: string;
  browseName: string;
  displayName: string;
  /** Variables (and variable types) only. */
  dataTypeId: NodeId | null;
  valueRank: number | null;
  /** What the node allows at all, and what it allows this session's user. */
  access: { read: boolean; write: boolean; userRead: boolean; userWrite: boolean } | null;
}

const ATTRIBUTES = [
  AttributeIds.NodeClass,
  AttributeIds.BrowseName,
  AttributeIds.DisplayName,
  AttributeIds.DataType,
  AttributeIds.ValueRank,
  AttributeIds.AccessLevel,
  AttributeIds.UserAccessLevel,
] as const;

/** Well below the MaxNodesPerRead of small PLCs (often 100–1000 values). */
const VALUES_PER_READ = 350;

export async function readNodeFacts(
  session: ClientSession,
  nodeIds: readonly NodeId[],
): Promise<(NodeFacts | null)[]> {
  const requests = nodeIds.flatMap((nodeId) =>
    ATTRIBUTES.map((attributeId) => ({ nodeId, attributeId })),
  );
  const values: DataValue[] = [];
  for (let i = 0; i < requests.length; i += VALUES_PER_READ) {
    values.push(...(await session.read(requests.slice(i, i + VALUES_PER_READ))));
  }
  return nodeIds.map((nodeId, i) => factsOf(nodeId, values.slice(i * ATTRIBUTES.length)));
}

function factsOf(nodeId: NodeId, v: DataValue[]): NodeFacts | null {
  const [cls, browse, display, dataType, rank, access, userAccess] = v;
  if (!cls || cls.statusCode.isBad()) return null;
  const good = (d: DataValue | undefined) => (d && !d.statusCode.isBad() ? d.value.value : null);
  const nodeClass = NodeClass[good(cls) as number] ?? 'Unspecified';
  const browseName = good(browse) as { namespaceIndex: number; name: string } | null;
  const accessLevel = good(access) as number | null;
  const userAccessLevel = good(userAccess) as number | null;
  const canRead = (level: number) => (level & AccessLevelFlag.CurrentRead) !== 0;
  const canWrite = (level: number) => (level & AccessLevelFlag.CurrentWrite) !== 0;
  return {
    nodeId,
    nodeClass,
    browseName: browseName
      ? browseName.namespaceIndex
        ? `${browseName.namespaceIndex}:${browseName.name}`
        : browseName.name
      : '',
    displayName: (good(display) as { text?: string } | null)?.text ?? browseName?.name ?? '',
    dataTypeId: (good(dataType) as NodeId | null) ?? null,
    valueRank: (good(rank) as number | null) ?? null,
    access:
      accessLevel === null
        ? null
        : {
            read: canRead(accessLevel),
            write: canWrite(accessLevel),
            // A server that does not report the user's level grants what the node allows.
            userRead: canRead(userAccessLevel ?? accessLevel),
            userWrite: canWrite(userAccessLevel ?? accessLevel),
          },
  };
}
