// Raw registers ↔ raw values for every register type and word/byte order, before any
// scaling. Words are first put into one big-endian byte string (reversing the words for
// "little" word order, swapping each word's bytes for "little" byte order), so a DataView
// does the type work and both directions share one definition of the orders.
import type { ByteOrder, RegisterType, WordOrder } from './profile-types';

export type Words = ArrayLike<number>;

export interface WordLayout {
  wordOrder: WordOrder;
  byteOrder: ByteOrder;
}

/** Inclusive raw ranges of the integer types. */
export const INTEGER_RANGE = {
  int16: [-0x8000, 0x7fff],
  uint16: [0, 0xffff],
  int32: [-0x80000000, 0x7fffffff],
  uint32: [0, 0xffffffff],
} as const;

function toBytes(words: Words, layout: WordLayout): Uint8Array {
  const count = words.length;
  const out = new Uint8Array(count * 2);
  for (let i = 0; i < count; i++) {
    const word = (words[layout.wordOrder === 'big' ? i : count - 1 - i] ?? 0) & 0xffff;
    const [hi, lo] =
      layout.byteOrder === 'big' ? [word >> 8, word & 0xff] : [word & 0xff, word >> 8];
    out[2 * i] = hi;
    out[2 * i + 1] = lo;
  }
  return out;
}

function fromBytes(bytes: Uint8Array, layout: WordLayout): number[] {
  const count = bytes.length / 2;
  const words = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const hi = bytes[2 * i] ?? 0;
    const lo = bytes[2 * i + 1] ?? 0;
    const word = layout.byteOrder === 'big' ? (hi << 8) | lo : (lo << 8) | hi;
    words[layout.wordOrder === 'big' ? i : count - 1 - i] = word;
  }
  return words;
}

/**
 * Decodes `words` (exactly the point's registers) as `type`. Floats come back as they are,
 * NaN and ±Infinity included: the point codec decides what they mean. Strings are Latin-1
 * up to the first NUL, trailing blanks removed; a blank string is ''.
 */
export function decodeWords(type: RegisterType, words: Words, layout: WordLayout): number | string {
  if (type === 'string') {
    // Text runs from the first register onward whatever the word order: only bytes swap.
    const bytes = toBytes(words, { ...layout, wordOrder: 'big' });
    const end = bytes.indexOf(0);
    const text = String.fromCharCode(...(end === -1 ? bytes : bytes.subarray(0, end)));
    return text.replace(/\s+$/, '');
  }
  const view = new DataView(toBytes(words, layout).buffer);
  switch (type) {
    case 'int16':
      return view.getInt16(0);
    case 'uint16':
      return view.getUint16(0);
    case 'int32':
      return view.getInt32(0);
    case 'uint32':
      return view.getUint32(0);
    case 'float32':
      return view.getFloat32(0);
    case 'float64':
      return view.getFloat64(0);
  }
}

/**
 * Encodes a raw value into `size` registers. Integers must already be whole and inside
 * their type's range (the point codec checks; this throws on a caller's bug). Strings are
 * NUL-padded and cut to the registers available.
 */
export function encodeWords(
  type: RegisterType,
  value: number | string,
  size: number,
  layout: WordLayout,
): number[] {
  const bytes = new Uint8Array(size * 2);
  if (type === 'string') {
    const text = String(value);
    for (let i = 0; i < Math.min(text.length, bytes.length); i++)
      bytes[i] = text.charCodeAt(i) & 0xff;
    return fromBytes(bytes, { ...layout, wordOrder: 'big' });
  }
  if (typeof value !== 'number') throw new TypeError(`${type} needs a number, got ${typeof value}`);
  if (type in INTEGER_RANGE) {
    const [min, max] = INTEGER_RANGE[type as keyof typeof INTEGER_RANGE];
    if (!Number.isInteger(value) || value < min || value > max)
      throw new RangeError(`${value} is not a raw ${type}`);
  }
  const view = new DataView(bytes.buffer);
  switch (type) {
    case 'int16':
      view.setInt16(0, value);
      break;
    case 'uint16':
      view.setUint16(0, value);
      break;
    case 'int32':
      view.setInt32(0, value);
      break;
    case 'uint32':
      view.setUint32(0, value);
      break;
    case 'float32':
      view.setFloat32(0, value);
      break;
    case 'float64':
      view.setFloat64(0, value);
      break;
  }
  return fromBytes(bytes, layout);
}
