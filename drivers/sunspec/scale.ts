// SunSpec scale factors: value = raw × 10^sf. A negative sf divides by an exact power of
// ten instead of multiplying by an inexact 0.1, so 2301 at sf -1 is exactly 230.1 (the
// double nearest to it), not 230.10000000000002.

/** Scale factors the SunSpec specification allows. */
export const MIN_SF = -10;
export const MAX_SF = 10;

export function applyScale(raw: number, sf: number): number {
  if (sf === 0) return raw;
  return sf < 0 ? raw / 10 ** -sf : raw * 10 ** sf;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * 64-bit raw values: a number when the scaled value is exact as one, otherwise the exact
 * decimal as a string (a JS number silently rounds above 2^53).
 */
export function applyScale64(raw: bigint, sf: number): number | string {
  const magnitude = raw < 0n ? -raw : raw;
  if (sf >= 0) {
    const scaled = raw * 10n ** BigInt(sf);
    return (scaled < 0n ? -scaled : scaled) <= MAX_SAFE ? Number(scaled) : scaled.toString();
  }
  if (magnitude <= MAX_SAFE) {
    // Near 2^53 the double nearest raw ÷ 10^k may not lead back to raw: then the decimal.
    const value = applyScale(Number(raw), sf);
    if (removeScale(value, sf) === Number(raw)) return value;
  }
  const places = -sf;
  const digits = magnitude.toString().padStart(places + 1, '0');
  const fraction = digits.slice(-places).replace(/0+$/, '');
  const whole = digits.slice(0, -places);
  return `${raw < 0n ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

/**
 * The raw integer for an engineering value, or null when the value is not a whole number
 * of steps at this scale factor (230.15 at sf -1). The tolerance only absorbs binary
 * rounding of decimal inputs such as 0.1 + 0.2.
 */
export function removeScale(value: number, sf: number): number | null {
  if (!Number.isFinite(value)) return null;
  const raw = sf === 0 ? value : sf < 0 ? value * 10 ** -sf : value / 10 ** sf;
  const rounded = Math.round(raw);
  const tolerance = Math.min(0.25, 1e-12 * Math.max(1, Math.abs(raw)));
  return Math.abs(raw - rounded) <= tolerance ? rounded + 0 : null; // + 0 turns -0 into 0
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Exact inverse of applyScale64: accepts a number, a bigint or a decimal string. */
export function removeScale64(value: number | bigint | string, sf: number): bigint | null {
  if (typeof value === 'number') {
    const raw = removeScale(value, sf);
    return raw === null ? null : BigInt(raw);
  }
  let mantissa: bigint;
  let exponent: number; // value = mantissa × 10^exponent
  if (typeof value === 'bigint') {
    mantissa = value;
    exponent = 0;
  } else {
    const match = DECIMAL.exec(value.trim());
    if (!match) return null;
    const fraction = match[3] ?? '';
    mantissa = BigInt(`${match[1]}${match[2]}${fraction}`);
    exponent = -fraction.length;
  }
  // raw = value / 10^sf = mantissa × 10^(exponent − sf)
  const shift = exponent - sf;
  if (shift >= 0) return mantissa * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  return mantissa % divisor === 0n ? mantissa / divisor : null;
}
