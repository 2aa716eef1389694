// One profile point between registers and engineering units:
//   value = sign × (raw × scale + offset)
// Results carry no float noise: a product or sum of decimals has a known number of
// decimals (those of the factors added up), so the result is rounded to exactly that. A
// float32 raw value is first taken as the shortest decimal that maps to the same float32
// (230.1, not 230.10000610351562) — the number the device most likely meant.
import { fail, ok, type Problem, type Result } from '../../core/result';
import type { PointValue, ProfilePoint } from './profile-types';
import { decodeWords, encodeWords, INTEGER_RANGE, type Words } from './word-codec';

export type PointCodecError = Problem & {
  code: 'wrong_type' | 'not_writable' | 'out_of_range' | 'not_representable';
};

const FLOAT32_MAX = 3.4028234663852886e38;

/** Digits after the decimal point in the shortest representation of `x`. */
export function decimalsOf(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return 0;
  const [mantissa = '', exponent = '0'] = x.toExponential().split('e');
  return Math.max(0, (mantissa.split('.')[1] ?? '').length - Number(exponent));
}

function roundTo(x: number, decimals: number): number {
  const rounded = Number(x.toFixed(Math.min(decimals, 100)));
  return rounded === 0 ? 0 : rounded; // never -0
}

/**
 * Nearest whole raw value, halves away from zero so that +x and −x encode symmetrically.
 * 12 significant digits first drop the division's noise (555.4999999999999 → 555.5).
 */
function roundHalfAway(x: number): number {
  const clean = Number(x.toPrecision(12));
  return Math.sign(clean) * Math.round(Math.abs(clean)) || 0;
}

/** The shortest decimal that is the same float32 as `raw`. */
function shortestFloat32(raw: number): number {
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(raw.toPrecision(digits));
    if (Math.fround(candidate) === raw) return candidate;
  }
  return raw;
}

/** Raw number (already decoded from words) → engineering value; null for "no value". */
export function engineeringValue(point: ProfilePoint, raw: number): number | null {
  if (!Number.isFinite(raw) || point.nullRaw.includes(raw)) return null;
  const base = point.type === 'float32' ? shortestFloat32(raw) : raw;
  const decimals = Math.max(decimalsOf(base) + decimalsOf(point.scale), decimalsOf(point.offset));
  let value = roundTo(base * point.scale + point.offset, decimals);
  // Energy is integer Wh everywhere in the station.
  if (point.unit === 'Wh') value = Math.round(value);
  return point.sign === 'invert' && value !== 0 ? -value : value;
}

/** Decodes a point from exactly its own registers (function 3/4). */
export function decodeRegisters(point: ProfilePoint, words: Words): PointValue {
  if (point.type === 'bool') throw new TypeError(`${point.name} is a bit, not registers`);
  const raw = decodeWords(point.type, words, point);
  if (typeof raw === 'string') return raw === '' ? null : raw;
  return engineeringValue(point, raw);
}

/** Decodes a bit point (function 1/2). */
export function decodeBit(point: ProfilePoint, bit: boolean | undefined): PointValue {
  return bit === undefined ? null : bit;
}

/**
 * Engineering value → registers (or one bit). `forWrite` also enforces the point's
 * `writable` range; the simulator leaves it off to show any representable value.
 */
export function encodePoint(
  point: ProfilePoint,
  value: PointValue,
  forWrite: boolean,
): Result<number[] | boolean[], PointCodecError> {
  if (forWrite && !point.writable) return problem('not_writable', `${point.name} is not writable`);
  if (point.type === 'bool') {
    return typeof value === 'boolean'
      ? ok([value])
      : problem('wrong_type', `${point.name} needs true or false`);
  }
  if (point.type === 'string') {
    if (typeof value !== 'string') return problem('wrong_type', `${point.name} needs text`);
    if (value.length > point.size * 2 || /[^\x20-\xff]/.test(value))
      return problem(
        'not_representable',
        `${point.name}: at most ${point.size * 2} Latin-1 characters`,
      );
    return ok(encodeWords('string', value, point.size, point));
  }
  if (value === null) return encodeNull(point);
  if (typeof value !== 'number' || !Number.isFinite(value))
    return problem('wrong_type', `${point.name} needs a finite number`);
  if (forWrite && point.writable && (value < point.writable.min || value > point.writable.max))
    return problem(
      'out_of_range',
      `${point.name}: ${value} ${point.unit} is outside ${point.writable.min}–${point.writable.max}`,
    );
  const signed = point.sign === 'invert' ? -value : value;
  const exact = (signed - point.offset) / point.scale;
  const raw = point.type.startsWith('float') ? exact : roundHalfAway(exact);
  if (!representable(point, raw))
    return problem('not_representable', `${point.name}: ${value} does not fit a ${point.type}`);
  return ok(encodeWords(point.type, raw, point.size, point));
}

function encodeNull(point: ProfilePoint): Result<number[], PointCodecError> {
  if (point.type === 'bool' || point.type === 'string')
    return problem('wrong_type', `${point.name} has no "no value" encoding`);
  const sentinel = point.nullRaw[0];
  if (sentinel !== undefined) return ok(encodeWords(point.type, sentinel, point.size, point));
  if (point.type.startsWith('float')) return ok(encodeWords(point.type, NaN, point.size, point));
  return problem('not_representable', `${point.name} has no "no value" encoding (nullRaw)`);
}

function representable(point: ProfilePoint, raw: number): boolean {
  if (!Number.isFinite(raw)) return false;
  if (point.type === 'float32') return Math.abs(raw) <= FLOAT32_MAX;
  if (point.type === 'float64') return true;
  const [min, max] = INTEGER_RANGE[point.type as keyof typeof INTEGER_RANGE];
  return Number.isInteger(raw) && raw >= min && raw <= max;
}

function problem(
  code: PointCodecError['code'],
  message: string,
): { ok: false; error: PointCodecError } {
  return fail({ code, message });
}
