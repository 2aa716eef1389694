// The latest value of every monitored item, as the subscription delivers them. A value
// carries the OPC UA status and timestamps it came with; a Bad or Uncertain status makes
// the number null instead of leaving the last good one in place (an "UncertainLastUsable"
// value is exactly the stale number the station must not show as live).
import { DataType, VariantArrayType, type DataValue } from 'node-opcua';

export interface MonitoredValue {
  /** The number, or null when the status is not Good or the value is not a finite number. */
  value: number | null;
  /** The status name, e.g. `Good`, `BadSensorFailure`, `BadNodeIdUnknown`. */
  status: string;
  /** UTC ms the device stamped the value with; null if the server sent none. */
  sourceTimestampMs: number | null;
  serverTimestampMs: number | null;
  /** UTC ms the station received it. */
  receivedMs: number;
}

const NUMERIC = new Set<DataType>([
  DataType.SByte,
  DataType.Byte,
  DataType.Int16,
  DataType.UInt16,
  DataType.Int32,
  DataType.UInt32,
  DataType.Float,
  DataType.Double,
]);

/**
 * Good by severity (the top two bits), as OPC UA defines it: GoodClamped, and Good with
 * limit or overflow info bits, are good values; node-opcua's isGood() accepts only 0.
 */
export const isGoodSeverity = (status: number): boolean => status >>> 30 === 0;

/** A scalar number from a data value; null for Bad/Uncertain, arrays, text and the like. */
export function numericValue(dataValue: DataValue): number | null {
  if (!isGoodSeverity(dataValue.statusCode.value)) return null;
  const variant = dataValue.value;
  if (!variant || variant.arrayType !== VariantArrayType.Scalar) return null;
  const raw: unknown = variant.value;
  let value: number | null = null;
  if (NUMERIC.has(variant.dataType) && typeof raw === 'number') value = raw;
  else if (variant.dataType === DataType.Boolean && typeof raw === 'boolean') value = raw ? 1 : 0;
  else if (variant.dataType === DataType.Int64) value = int64(raw, true);
  else if (variant.dataType === DataType.UInt64) value = int64(raw, false);
  return value !== null && Number.isFinite(value) ? value : null;
}

/** node-opcua sends 64-bit integers as [high, low] 32-bit words (beyond 2^53 precision is lost). */
function int64(raw: unknown, signed: boolean): number | null {
  if (typeof raw === 'bigint') return Number(raw);
  if (!Array.isArray(raw) || raw.length !== 2) return null;
  const [high, low] = raw as unknown[];
  if (typeof high !== 'number' || typeof low !== 'number') return null;
  return (signed ? high | 0 : high >>> 0) * 0x1_0000_0000 + (low >>> 0);
}

export function toMonitoredValue(dataValue: DataValue, receivedMs: number): MonitoredValue {
  return {
    value: numericValue(dataValue),
    status: dataValue.statusCode.name,
    sourceTimestampMs: dataValue.sourceTimestamp ? dataValue.sourceTimestamp.getTime() : null,
    serverTimestampMs: dataValue.serverTimestamp ? dataValue.serverTimestamp.getTime() : null,
    receivedMs,
  };
}
