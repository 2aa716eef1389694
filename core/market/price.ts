// Exact prices. Money is never a float here: a price is an integer number of
// micro-currency units per kWh (1e-6 of the currency per kWh, e.g. 0.085 EUR/kWh =
// 85_000). That is the Site's "minor units per kWh with up to 4 decimals" for a currency
// with 2 minor digits, and it keeps every price and energy × price product an exact
// integer in a double (prices are capped at MAX_PRICE_MICRO_PER_KWH).

/** Digits of the price unit below one currency unit per kWh. */
export const PRICE_DIGITS = 6;
export const MICRO_PER_UNIT = 1_000_000;
/** 1,000,000 currency/kWh: far above any tariff, small enough that sums stay exact. */
export const MAX_PRICE_MICRO_PER_KWH = 1e12;

export type PriceProblem =
  | 'price_not_a_number'
  | 'price_not_finite'
  | 'price_negative'
  | 'price_too_precise'
  | 'price_too_large';

export type ParsedPrice = { ok: true; micro: number } | { ok: false; reason: PriceProblem };

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal (a JSON number or a decimal string such as "0.085" or "8.5e-2") into an
 * integer number of 10^-digits units, exactly. More decimals than the unit holds are
 * refused (`price_too_precise`), never rounded: a member's limit price is kept as typed.
 * A JSON number is read as the shortest decimal that gives the same double (what
 * `String(n)` prints); write prices with more than 15 significant digits as strings.
 */
export function parseScaledDecimal(value: number | string, digits = PRICE_DIGITS): ParsedPrice {
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { ok: false, reason: 'price_not_a_number' };
    if (!Number.isFinite(value)) return { ok: false, reason: 'price_not_finite' };
    // Fast path (most prices): the scaled value rounds to an integer whose quotient is the
    // very same double, so the decimal the double stands for has at most `digits` decimals.
    if (value >= 0 && value <= 1e6) {
      const scale = 10 ** digits;
      const scaled = Math.round(value * scale);
      if (scaled / scale === value) return { ok: true, micro: scaled };
    }
    return parseText(String(value), digits);
  }
  const text = value.trim();
  if (/^[+-]?(Infinity|inf)$/i.test(text)) return { ok: false, reason: 'price_not_finite' };
  return parseText(text, digits);
}

function parseText(text: string, digits: number): ParsedPrice {
  const match = DECIMAL.exec(text);
  const [, sign = '', intPart = '', fracPart = '', expPart = '0'] = match ?? [];
  if (!match || (intPart === '' && fracPart === '')) {
    return { ok: false, reason: 'price_not_a_number' };
  }
  const all = (intPart + fracPart).replace(/^0+/, '');
  if (all === '') return { ok: true, micro: 0 };
  if (sign === '-') return { ok: false, reason: 'price_negative' };
  // Position of the decimal point in `all` after scaling by 10^digits.
  const leadingZeros = (intPart + fracPart).length - all.length;
  const point = intPart.length - leadingZeros + Number(expPart) + digits;
  if (point > 15) return { ok: false, reason: 'price_too_large' };
  if (point < all.length && /[1-9]/.test(all.slice(Math.max(point, 0)))) {
    return { ok: false, reason: 'price_too_precise' };
  }
  const integer = point <= 0 ? '0' : all.slice(0, point).padEnd(point, '0');
  const micro = Number(integer);
  if (micro > MAX_PRICE_MICRO_PER_KWH) return { ok: false, reason: 'price_too_large' };
  return { ok: true, micro };
}

/** Exact decimal text of an integer number of 10^-digits units: 85_000 → "0.085". */
export function formatScaled(units: number, digits = PRICE_DIGITS): string {
  const negative = units < 0;
  const text = String(Math.abs(units)).padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const frac = text.slice(text.length - digits).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

/**
 * A price as a JSON number in currency per kWh. The decimal has at most 13 significant
 * digits, so the double it becomes prints back as exactly that decimal.
 */
export const priceToCurrencyNumber = (micro: number): number => Number(formatScaled(micro));

/**
 * The midpoint of two integer prices, a half unit rounded to the even unit (banker's
 * rounding): it favours neither buyers nor sellers over many intervals, and because
 * low ≤ high are integers the result stays within [low, high].
 */
export function midpointHalfEven(low: number, high: number): number {
  const sum = low + high;
  const half = Math.floor(sum / 2);
  return sum % 2 !== 0 && half % 2 !== 0 ? half + 1 : half;
}

export const clamp = (value: number, low: number, high: number): number =>
  value < low ? low : value > high ? high : value;
