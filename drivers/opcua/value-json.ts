// OPC UA values as plain JSON-able values for the CLI, the API and the UI: numbers and
// booleans as such, 64-bit integers as decimal strings (JSON numbers lose precision above
// 2^53), times as ISO 8601, byte strings as base64, text types as their text.
import { DataType, VariantArrayType, type Variant } from 'node-opcua';

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function variantToJson(variant: Variant | null | undefined): JsonValue {
  if (!variant || variant.dataType === DataType.Null) return null;
  const value: unknown = variant.value;
  if (
    variant.arrayType !== VariantArrayType.Scalar &&
    value !== null &&
    typeof value === 'object'
  ) {
    // Matrices come flattened, as node-opcua holds them.
    return Array.from(value as ArrayLike<unknown>, (v) => scalarToJson(variant.dataType, v));
  }
  return scalarToJson(variant.dataType, value);
}

/** A single 64-bit value arrives as [high, low]; an array of them as [[h, l], …]. */
const isWordPair = (value: unknown): boolean =>
  Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number');

export function scalarToJson(type: DataType, value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case DataType.Boolean:
      return Boolean(value);
    case DataType.Int64:
    case DataType.UInt64:
      return int64ToString(type, value);
    case DataType.DateTime:
      return value instanceof Date ? value.toISOString() : String(value);
    case DataType.ByteString:
      return Buffer.isBuffer(value) ? value.toString('base64') : String(value);
    case DataType.LocalizedText:
      return (value as { text?: string | null }).text ?? null;
    case DataType.QualifiedName: {
      const q = value as { namespaceIndex: number; name?: string | null };
      return q.namespaceIndex ? `${q.namespaceIndex}:${q.name ?? ''}` : (q.name ?? '');
    }
    case DataType.StatusCode:
      return (value as { name?: string }).name ?? String(value);
    case DataType.ExtensionObject:
      return extensionToJson(value);
  }
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  return String(value);
}

function int64ToString(type: DataType, value: unknown): string {
  if (typeof value === 'bigint' || typeof value === 'number') return String(value);
  if (isWordPair(value)) {
    const [high, low] = value as [number, number];
    const unsigned = (BigInt(high >>> 0) << 32n) | BigInt(low >>> 0);
    return (type === DataType.Int64 ? BigInt.asIntN(64, unsigned) : unsigned).toString();
  }
  return String(value);
}

function extensionToJson(value: unknown): JsonValue {
  const json = (value as { toJSON?: () => unknown }).toJSON?.() ?? value;
  try {
    return JSON.parse(JSON.stringify(json)) as JsonValue;
  } catch {
    return String(value);
  }
}
