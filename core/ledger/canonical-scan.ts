// One-pass checks that text is already RFC 8785 canonical JSON, for what verification
// meets a million times: the known members of an entry, and its payload, a flat object
// of strings, integers, booleans or null. They read characters by index and allocate
// nothing, which is what lets verification skip JSON.parse + canonicalize for ordinary
// entries.
//
// -1 means "not proven canonical here", never "not canonical": nested values, escapes
// other than \" and \\, long or fractional numbers and escaped names are left to the
// full check (parse, re-canonicalize, compare), which decides.

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN = 0x7b;
const CLOSE = 0x7d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** Up to 15 digits an integer's text is its own Number-to-String (< 2^53, no exponent). */
const MAX_DIGITS = 15;
/** Digits of Number.MAX_SAFE_INTEGER, for integers compared with a known safe value. */
const MAX_SAFE_DIGITS = 16;

/**
 * Index just after one flat JSON object in canonical form starting at text[start], or
 * -1: members sorted by name (UTF-16 code units) without duplicates, no whitespace,
 * canonical strings and integers. Lone surrogates cannot occur: the text comes from
 * UTF-8 in SQLite.
 */
export function canonicalFlatObjectEnd(text: string, start: number): number {
  if (start < 0 || text.charCodeAt(start) !== OPEN) return -1;
  const end = text.length;
  let i = start + 1;
  if (text.charCodeAt(i) === CLOSE) return i + 1;
  let prevKeyStart = -1;
  let prevKeyEnd = -1;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) return -1;
    const keyStart = i + 1;
    const keyEnd = plainStringEnd(text, keyStart, end);
    if (keyEnd < 0) return -1;
    if (prevKeyStart >= 0 && !before(text, prevKeyStart, prevKeyEnd, keyStart, keyEnd)) return -1;
    prevKeyStart = keyStart;
    prevKeyEnd = keyEnd;
    i = keyEnd + 1;
    if (text.charCodeAt(i) !== COLON) return -1;
    i = valueEnd(text, i + 1, end);
    if (i < 0) return -1;
    const next = text.charCodeAt(i);
    if (next === CLOSE) return i + 1;
    if (next !== COMMA) return -1;
    i += 1;
  }
}

/**
 * Index just after the canonical text of a safe integer `value` at text[i], or -1:
 * compared digit by digit, so nothing is allocated.
 */
export function integerTextEnd(text: string, i: number, value: number): number {
  if (i < 0 || !Number.isSafeInteger(value)) return -1;
  const end = integerEnd(text, i, text.length, MAX_SAFE_DIGITS);
  if (end < 0) return -1;
  const negative = text.charCodeAt(i) === MINUS;
  let n = 0;
  for (let j = negative ? i + 1 : i; j < end; j++) n = n * 10 + (text.charCodeAt(j) - ZERO);
  // Up to 16 digits the sum is exact below 2^53 and ≥ 2^53 above it, never a safe value.
  return (negative ? -n : n) === value ? end : -1;
}

/**
 * Index just after `value` as a JSON string at text[i] (opening quote included), or -1.
 * Only values that need no escaping match: their canonical form is the value in quotes.
 */
export function plainStringTextEnd(text: string, i: number, value: string): number {
  if (i < 0 || text.charCodeAt(i) !== QUOTE || !text.startsWith(value, i + 1)) return -1;
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt(k);
    if (c === QUOTE || c === BACKSLASH || c < 0x20) return -1;
  }
  const close = i + 1 + value.length;
  return text.charCodeAt(close) === QUOTE ? close + 1 : -1;
}

/** Index of the closing quote of a string with no escapes (a member name), or -1. */
function plainStringEnd(text: string, i: number, end: number): number {
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < 0x20) return -1;
  }
  return -1;
}

/** Is name a strictly before name b in UTF-16 code unit order (JS sort, JCS)? */
function before(text: string, a: number, aEnd: number, b: number, bEnd: number): boolean {
  for (; a < aEnd && b < bEnd; a++, b++) {
    const d = text.charCodeAt(a) - text.charCodeAt(b);
    if (d !== 0) return d < 0;
  }
  return aEnd - a < bEnd - b;
}

/** Index just after a canonical scalar value starting at i, or -1. */
function valueEnd(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return stringEnd(text, i + 1, end);
  if (c === MINUS || (c >= ZERO && c <= NINE)) return integerEnd(text, i, end, MAX_DIGITS);
  if (text.startsWith('null', i)) return i + 4;
  if (text.startsWith('true', i)) return i + 4;
  if (text.startsWith('false', i)) return i + 5;
  return -1;
}

/** After the closing quote of a string value; only \" and \\ escapes are accepted here. */
function stringEnd(text: string, i: number, end: number): number {
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return -1;
    if (c === BACKSLASH) {
      const e = text.charCodeAt(i + 1);
      if (e !== QUOTE && e !== BACKSLASH) return -1;
      i += 1;
    }
  }
  return -1;
}

/** After a canonical integer: no leading zero, no -0, no fraction or exponent, ≤ max digits. */
function integerEnd(text: string, i: number, end: number, maxDigits: number): number {
  const negative = text.charCodeAt(i) === MINUS;
  const first = negative ? i + 1 : i;
  let j = first;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (c < ZERO || c > NINE) break;
    j++;
  }
  const digits = j - first;
  if (digits === 0 || digits > maxDigits) return -1;
  if (text.charCodeAt(first) === ZERO && (digits > 1 || negative)) return -1;
  // A fraction or exponent is not an integer; its canonical form is left to the full check.
  const after = text.charCodeAt(j);
  if (after === 0x2e || after === 0x65 || after === 0x45) return -1;
  return j;
}
