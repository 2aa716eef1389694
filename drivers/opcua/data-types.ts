// What a DataType node means for reading and writing: the built-in type values travel as
// (Double, UInt16… or Int32 for enumerations), its name for people, and an enumeration's
// names. Vendor types are followed up their HasSubtype chain to a built-in one. Answers
// are cached per session: a server's type system does not change while it is connected.
import {
  AttributeIds,
  BrowseDirection,
  DataType,
  DataTypeIds,
  NodeClassMask,
  ReferenceTypeIds,
  type ClientSession,
  type NodeId,
} from 'node-opcua';

export interface TypeInfo {
  /** The built-in type, or null for abstract ones (Number, BaseDataType…): use the value's. */
  builtIn: DataType | null;
  /** e.g. "Double", "UtcTime", "OperatingModeEnum". */
  name: string;
  /** value → name, for enumerations. */
  enumValues: Map<number, string> | null;
}

const STANDARD_NAMES = new Map<number, string>(
  Object.entries(DataTypeIds).map(([name, id]) => [id as number, name]),
);
const ENUMERATION = DataTypeIds.Enumeration;
const ABSTRACT = new Set<number>([
  DataTypeIds.BaseDataType,
  DataTypeIds.Number,
  DataTypeIds.Integer,
  DataTypeIds.UInteger,
]);
const MAX_DEPTH = 20;

const caches = new WeakMap<ClientSession, Map<string, Promise<TypeInfo>>>();

const isStandard = (id: NodeId): id is NodeId & { value: number } =>
  id.namespace === 0 && typeof id.value === 'number';

/** The standard name of a ns=0 data type without asking the server; null otherwise. */
export const standardTypeName = (id: NodeId): string | null =>
  isStandard(id) ? (STANDARD_NAMES.get(id.value) ?? null) : null;

export function typeInfo(session: ClientSession, dataTypeId: NodeId): Promise<TypeInfo> {
  let cache = caches.get(session);
  if (!cache) caches.set(session, (cache = new Map()));
  const key = dataTypeId.toString();
  let info = cache.get(key);
  if (!info) {
    info = resolveType(session, dataTypeId);
    // A failed lookup (lost connection) must not stay cached.
    info.catch(() => cache.delete(key));
    cache.set(key, info);
  }
  return info;
}

async function resolveType(session: ClientSession, dataTypeId: NodeId): Promise<TypeInfo> {
  const name = standardTypeName(dataTypeId) ?? (await browseNameOf(session, dataTypeId));
  const base = await builtInOf(session, dataTypeId, 0);
  if (base === 'enumeration') {
    return { builtIn: DataType.Int32, name, enumValues: await enumValuesOf(session, dataTypeId) };
  }
  return { builtIn: base, name, enumValues: null };
}

async function builtInOf(
  session: ClientSession,
  id: NodeId,
  depth: number,
): Promise<DataType | null | 'enumeration'> {
  if (isStandard(id)) {
    if (id.value === ENUMERATION) return 'enumeration';
    if (ABSTRACT.has(id.value)) return null;
    if (id.value >= DataType.Boolean && id.value <= DataType.DiagnosticInfo)
      return id.value as DataType;
  }
  if (depth >= MAX_DEPTH) return null;
  const result = await session.browse({
    nodeId: id,
    browseDirection: BrowseDirection.Inverse,
    referenceTypeId: ReferenceTypeIds.HasSubtype,
    includeSubtypes: false,
    nodeClassMask: NodeClassMask.DataType,
    resultMask: 0x3f,
  });
  const parent = result.references?.[0]?.nodeId;
  return parent ? builtInOf(session, parent, depth + 1) : null;
}

async function browseNameOf(session: ClientSession, id: NodeId): Promise<string> {
  const value = await session.read({ nodeId: id, attributeId: AttributeIds.BrowseName });
  const name = (value.value?.value as { name?: string } | null)?.name;
  return name ?? id.toString();
}

/** From the type's EnumStrings (index = value) or EnumValues (explicit values). */
async function enumValuesOf(
  session: ClientSession,
  id: NodeId,
): Promise<Map<number, string> | null> {
  const result = await session.browse({
    nodeId: id,
    browseDirection: BrowseDirection.Forward,
    referenceTypeId: ReferenceTypeIds.HasProperty,
    includeSubtypes: true,
    nodeClassMask: NodeClassMask.Variable,
    resultMask: 0x3f,
  });
  const property = (result.references ?? []).find((r) =>
    ['EnumStrings', 'EnumValues'].includes(r.browseName.name ?? ''),
  );
  if (!property) return null;
  const value = await session.read({ nodeId: property.nodeId, attributeId: AttributeIds.Value });
  const items = (value.value?.value ?? []) as unknown[];
  const names = new Map<number, string>();
  items.forEach((item, index) => {
    const entry = item as { text?: string; value?: unknown; displayName?: { text?: string } };
    if (property.browseName.name === 'EnumStrings') {
      if (entry.text) names.set(index, entry.text);
    } else if (entry.displayName?.text) {
      // EnumValueType.value is an Int64: [high, low].
      const raw = Array.isArray(entry.value) ? entry.value[1] : entry.value;
      names.set(Number(raw), entry.displayName.text);
    }
  });
  return names;
}
