// One engineering value to the words a SunSpec point holds: unscale, range-check, pack
// big-endian. Refusals name the point, the value and the limits, because they end up in
// front of an operator who typed the number.
import { fail, ok, type Result } from '../../core/result';
import type { SunspecInput, SunspecPointDef } from './model-types';
import {
  INTEGER_RANGES,
  integerToWords,
  isIntegerType,
  nonIntegerSentinel,
  type IntegerRange,
} from './point-types';
import { applyScale, applyScale64, removeScale, removeScale64 } from './scale';
import { sunspecError, type SunspecError } from './sunspec-error';

type Encoded = Result<number[], SunspecError>;

const FLOAT32_MAX = 3.4028234663852886e38;
const utf8 = new TextEncoder();

function describe(value: SunspecInput | undefined): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Scale factor the point uses: fixed in the model, or the device's current SF value. */
export function effectiveSf(
  point: SunspecPointDef,
  sfValue: number | null | undefined,
): number | null {
  if (point.sf === null) return 0;
  if (typeof point.sf === 'number') return point.sf;
  return sfValue ?? null;
}

function limit(raw: bigint, range: IntegerRange, sf: number): string {
  return String(range.bits === 64 ? applyScale64(raw, sf) : applyScale(Number(raw), sf));
}

function encodeInteger(
  label: string,
  point: SunspecPointDef,
  range: IntegerRange,
  value: SunspecInput,
  sf: number,
): Encoded {
  const is64 = range.bits === 64;
  if (
    typeof value !== 'number' &&
    !(is64 && (typeof value === 'bigint' || typeof value === 'string'))
  ) {
    return fail(
      sunspecError('wrong_type', `${label}: ${describe(value)} is not a number (${point.type})`),
    );
  }
  const raw = is64 ? removeScale64(value, sf) : removeScale(value as number, sf);
  const bounds = `${limit(range.min, range, sf)}..${limit(range.max, range, sf)}`;
  const unit = point.units ? ` ${point.units}` : '';
  const scaleNote = sf === 0 ? point.type : `${point.type}, SF ${sf}`;
  if (raw === null) {
    const step = applyScale(1, sf);
    return fail(
      sunspecError(
        'out_of_range',
        `${label}: ${describe(value)}${unit} is not a multiple of ${step} (${scaleNote})`,
      ),
    );
  }
  const big = BigInt(raw);
  if (big < range.min || big > range.max) {
    return fail(
      sunspecError(
        'out_of_range',
        `${label}: ${describe(value)}${unit} is outside ${bounds}${unit} (${scaleNote})`,
      ),
    );
  }
  return ok(integerToWords(big, range.bits));
}

function encodeFloat(label: string, point: SunspecPointDef, value: SunspecInput): Encoded {
  if (typeof value !== 'number')
    return fail(sunspecError('wrong_type', `${label}: ${describe(value)} is not a number`));
  const single = point.type === 'float32';
  // NaN is the "not implemented" sentinel: send null for that, never NaN as data.
  if (!Number.isFinite(value) || (single && Math.abs(value) > FLOAT32_MAX)) {
    const max = single ? FLOAT32_MAX : Number.MAX_VALUE;
    return fail(
      sunspecError('out_of_range', `${label}: ${value} is outside ±${max} (${point.type})`),
    );
  }
  const view = new DataView(new ArrayBuffer(single ? 4 : 8));
  if (single) view.setFloat32(0, value);
  else view.setFloat64(0, value);
  return ok(Array.from({ length: single ? 2 : 4 }, (_, i) => view.getUint16(2 * i)));
}

function fromBytes(bytes: Uint8Array, sizeRegs: number): number[] {
  return Array.from(
    { length: sizeRegs },
    (_, i) => ((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0),
  );
}

function encodeText(label: string, point: SunspecPointDef, value: SunspecInput): Encoded {
  if (typeof value !== 'string')
    return fail(sunspecError('wrong_type', `${label}: ${describe(value)} is not text`));
  const bytes = utf8.encode(value);
  const maxBytes = point.size * 2;
  if (bytes.length > maxBytes || bytes.includes(0)) {
    const why = bytes.includes(0)
      ? 'contains a NUL character'
      : `is ${bytes.length} bytes, more than ${maxBytes}`;
    return fail(sunspecError('out_of_range', `${label}: ${describe(value)} ${why}`));
  }
  return ok(fromBytes(bytes, point.size));
}

function encodeAddress(label: string, point: SunspecPointDef, value: SunspecInput): Encoded {
  if (typeof value !== 'string')
    return fail(sunspecError('wrong_type', `${label}: ${describe(value)} is not an address`));
  const bad = (expected: string) =>
    fail(
      sunspecError(
        'out_of_range',
        `${label}: ${describe(value)} is not ${expected} (${point.type})`,
      ),
    );
  if (point.type === 'ipaddr') {
    const parts = value.split('.').map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
    if (parts.length !== 4 || parts.some((p) => !(p <= 255)) || parts.every((p) => p === 0)) {
      return bad('a dotted IPv4 address other than 0.0.0.0');
    }
    return ok(fromBytes(Uint8Array.from(parts), 2));
  }
  if (point.type === 'eui48') {
    const parts = value
      .split(/[:-]/)
      .map((p) => (/^[0-9a-f]{2}$/i.test(p) ? parseInt(p, 16) : NaN));
    if (
      parts.length !== 6 ||
      parts.some(Number.isNaN) ||
      parts.every((p) => p === 0) ||
      parts.every((p) => p === 255)
    ) {
      return bad('a MAC address such as 00:11:22:AA:BB:CC (not all 00 or all FF)');
    }
    return ok(fromBytes(Uint8Array.from([0, 0, ...parts]), 4));
  }
  const groups = parseIpv6(value);
  if (groups === null || groups.every((g) => g === 0)) return bad('an IPv6 address other than ::');
  return ok(groups);
}

function parseIpv6(text: string): number[] | null {
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string | undefined) => (part ? part.split(':') : []);
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (!all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.map((g) => parseInt(g, 16));
}

/**
 * Words for one point. `sfValue` is the device's current value of the point's scale-factor
 * point (ignored when the model fixes the exponent or the point is unscaled). A null value
 * writes the type's "not implemented" sentinel.
 */
export function encodePointValue(
  point: SunspecPointDef,
  value: SunspecInput | undefined,
  sfValue: number | null | undefined,
  label: string = point.name,
): Encoded {
  if (value === null || value === undefined) {
    if (isIntegerType(point.type)) {
      const range = INTEGER_RANGES[point.type];
      return ok(integerToWords(range.sentinel, range.bits));
    }
    return ok(nonIntegerSentinel(point.type, point.size));
  }
  if (isIntegerType(point.type)) {
    const sf = effectiveSf(point, sfValue);
    if (sf === null) {
      return fail(
        sunspecError(
          'no_scale_factor',
          `${label}: its scale factor ${String(point.sf)} is not implemented`,
        ),
      );
    }
    return encodeInteger(label, point, INTEGER_RANGES[point.type], value, sf);
  }
  switch (point.type) {
    case 'float32':
    case 'float64':
      return encodeFloat(label, point, value);
    case 'string':
      return encodeText(label, point, value);
    case 'pad':
      return ok(nonIntegerSentinel('pad', 1));
    case 'ipaddr':
    case 'ipv6addr':
    case 'eui48':
      return encodeAddress(label, point, value);
  }
}
