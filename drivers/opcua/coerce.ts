// A value as typed by a technician (or sent by the UI) turned into exactly the OPC UA type a
// node or method argument takes, or refused with the reason: integers must be whole and fit
// their type, floats must be finite (NaN and Infinity are never sent to a device), booleans
// are true/false/1/0, enumerations take a name or one of their numbers.
import { DataType } from 'node-opcua';
import { fail, ok, type Result } from '../../core/result';
import { opcuaError, type OpcuaError } from './opcua-error';
import type { JsonValue } from './value-json';

export type InputValue = string | number | boolean;

export interface CoercedValue {
  /** What goes into the Variant (64-bit integers as [high, low]). */
  variantValue: unknown;
  dataType: DataType;
  /** The value for people and JSON (64-bit integers as decimal strings). */
  json: JsonValue;
  /** An enumeration's name for the value. */
  symbol: string | null;
}

export interface TargetType {
  builtIn: DataType;
  /** For messages: "Double", "OperatingModeEnum". */
  name: string;
  enumValues: Map<number, string> | null;
}

const INTEGER_RANGES: Partial<Record<DataType, readonly [bigint, bigint]>> = {
  [DataType.SByte]: [-128n, 127n],
  [DataType.Byte]: [0n, 255n],
  [DataType.Int16]: [-32768n, 32767n],
  [DataType.UInt16]: [0n, 65535n],
  [DataType.Int32]: [-2147483648n, 2147483647n],
  [DataType.UInt32]: [0n, 4294967295n],
  [DataType.Int64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [DataType.UInt64]: [0n, 2n ** 64n - 1n],
};

const FLOAT_MAX = 3.4028234663852886e38;

export function coerceInput(
  raw: InputValue,
  type: TargetType,
  label: string,
): Result<CoercedValue, OpcuaError> {
  const text = String(raw).trim();
  const value = (variantValue: unknown, json: JsonValue, symbol: string | null = null) =>
    ok({ variantValue, dataType: type.builtIn, json, symbol });
  const refuse = (code: 'bad_type' | 'out_of_range', why: string) =>
    fail(opcuaError(code, `${label}: ${why}`));

  if (type.enumValues && type.enumValues.size > 0) return coerceEnum(text, type, label);
  const range = INTEGER_RANGES[type.builtIn];
  if (range) {
    if (!/^[+-]?\d+$/.test(text))
      return refuse('bad_type', `${type.name} takes a whole number, got "${raw}"`);
    const n = BigInt(text);
    if (n < range[0] || n > range[1])
      return refuse(
        'out_of_range',
        `${text} does not fit ${type.name} (${range[0]} to ${range[1]})`,
      );
    if (type.builtIn === DataType.Int64 || type.builtIn === DataType.UInt64) {
      const unsigned = BigInt.asUintN(64, n);
      return value([Number(unsigned >> 32n), Number(unsigned & 0xffffffffn)], n.toString());
    }
    return value(Number(n), Number(n));
  }
  switch (type.builtIn) {
    case DataType.Double:
    case DataType.Float: {
      const n = typeof raw === 'number' ? raw : text === '' ? NaN : Number(text);
      if (Number.isNaN(n) && /^[+-]?nan$/i.test(text))
        return refuse('out_of_range', 'NaN is never written to a device');
      if (Number.isNaN(n)) return refuse('bad_type', `${type.name} takes a number, got "${raw}"`);
      if (!Number.isFinite(n))
        return refuse('out_of_range', `${text} is never written to a device`);
      if (type.builtIn === DataType.Float && Math.abs(n) > FLOAT_MAX)
        return refuse('out_of_range', `${text} does not fit Float (±${FLOAT_MAX})`);
      return value(n, n);
    }
    case DataType.Boolean: {
      const lower = text.toLowerCase();
      if (lower === 'true' || lower === '1') return value(true, true);
      if (lower === 'false' || lower === '0') return value(false, false);
      return refuse('bad_type', `Boolean takes true or false (or 1 or 0), got "${raw}"`);
    }
    case DataType.String:
      return value(String(raw), String(raw));
    case DataType.DateTime: {
      const date = new Date(text);
      if (!/^\d{4}-\d\d-\d\d/.test(text) || Number.isNaN(date.getTime()))
        return refuse('bad_type', `DateTime takes an ISO 8601 time, got "${raw}"`);
      return value(date, date.toISOString());
    }
  }
  return refuse('bad_type', `writing ${type.name} values is not supported`);
}

function coerceEnum(
  text: string,
  type: TargetType,
  label: string,
): Result<CoercedValue, OpcuaError> {
  const values = type.enumValues!;
  const listed = [...values].map(([n, name]) => `${name} (${n})`).join(', ');
  let chosen: number | undefined;
  if (/^[+-]?\d+$/.test(text)) chosen = values.has(Number(text)) ? Number(text) : undefined;
  else chosen = [...values].find(([, name]) => name.toLowerCase() === text.toLowerCase())?.[0];
  if (chosen === undefined)
    return fail(
      opcuaError('out_of_range', `${label}: "${text}" is not a value of ${type.name}: ${listed}`),
    );
  return ok({
    variantValue: chosen,
    dataType: DataType.Int32,
    json: chosen,
    symbol: values.get(chosen)!,
  });
}

/** Within [low, high] (an EURange), for numeric values. */
export function checkRange(
  coerced: CoercedValue,
  range: { low: number; high: number } | null,
  label: string,
): Result<CoercedValue, OpcuaError> {
  if (!range || typeof coerced.json !== 'number') return ok(coerced);
  if (coerced.json >= range.low && coerced.json <= range.high) return ok(coerced);
  return fail(
    opcuaError(
      'out_of_range',
      `${label}: ${coerced.json} is outside the node's range ${range.low} to ${range.high} (EURange)`,
    ),
  );
}
