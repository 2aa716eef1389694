// Raw registers → raw values for every type in all four word/byte orders. The vectors are
// written out by hand (from Node's Buffer big-endian encodings), not derived with the code
// under test, so a wrong order in the codec cannot agree with itself.
import { describe, expect, it } from 'vitest';
import type { RegisterType } from '../../../drivers/profiles/profile-types';
import { decodeWords, encodeWords, type WordLayout } from '../../../drivers/profiles/word-codec';

const BB: WordLayout = { wordOrder: 'big', byteOrder: 'big' };
const LB: WordLayout = { wordOrder: 'little', byteOrder: 'big' }; // "swapped" words
const BL: WordLayout = { wordOrder: 'big', byteOrder: 'little' };
const LL: WordLayout = { wordOrder: 'little', byteOrder: 'little' };

interface Vector {
  type: RegisterType;
  value: number | string;
  words: [WordLayout, number[]][];
}

const VECTORS: Vector[] = [
  {
    type: 'int16',
    value: -2,
    words: [
      [BB, [0xfffe]],
      [LB, [0xfffe]],
      [BL, [0xfeff]],
      [LL, [0xfeff]],
    ],
  },
  {
    type: 'uint16',
    value: 0x1234,
    words: [
      [BB, [0x1234]],
      [LB, [0x1234]],
      [BL, [0x3412]],
      [LL, [0x3412]],
    ],
  },
  {
    type: 'int32',
    value: -123456789, // 0xF8A432EB
    words: [
      [BB, [0xf8a4, 0x32eb]],
      [LB, [0x32eb, 0xf8a4]],
      [BL, [0xa4f8, 0xeb32]],
      [LL, [0xeb32, 0xa4f8]],
    ],
  },
  {
    type: 'uint32',
    value: 3_000_000_000, // 0xB2D05E00
    words: [
      [BB, [0xb2d0, 0x5e00]],
      [LB, [0x5e00, 0xb2d0]],
      [BL, [0xd0b2, 0x005e]],
      [LL, [0x005e, 0xd0b2]],
    ],
  },
  {
    type: 'float32',
    value: 230.5, // 0x43668000
    words: [
      [BB, [0x4366, 0x8000]],
      [LB, [0x8000, 0x4366]],
      [BL, [0x6643, 0x0080]],
      [LL, [0x0080, 0x6643]],
    ],
  },
  {
    type: 'float64',
    value: 1234.5678, // 0x40934A456D5CFAAD
    words: [
      [BB, [0x4093, 0x4a45, 0x6d5c, 0xfaad]],
      [LB, [0xfaad, 0x6d5c, 0x4a45, 0x4093]],
      [BL, [0x9340, 0x454a, 0x5c6d, 0xadfa]],
      [LL, [0xadfa, 0x5c6d, 0x454a, 0x9340]],
    ],
  },
  // Text runs from the first register whatever the word order; only bytes swap.
  {
    type: 'string',
    value: 'SN12',
    words: [
      [BB, [0x534e, 0x3132]],
      [LB, [0x534e, 0x3132]],
      [BL, [0x4e53, 0x3231]],
      [LL, [0x4e53, 0x3231]],
    ],
  },
];

const name = (l: WordLayout): string => `words ${l.wordOrder}, bytes ${l.byteOrder}`;

describe('decodeWords', () => {
  for (const { type, value, words } of VECTORS) {
    for (const [layout, raw] of words) {
      it(`${type} ${JSON.stringify(value)} from ${name(layout)}`, () => {
        expect(decodeWords(type, raw, layout)).toBe(value);
      });
      it(`${type} ${JSON.stringify(value)} to ${name(layout)}`, () => {
        expect(encodeWords(type, value, raw.length, layout)).toEqual(raw);
      });
    }
  }

  it('keeps NaN and infinities of floats for the point codec to judge', () => {
    expect(decodeWords('float32', [0x7fc0, 0x0000], BB)).toBeNaN();
    expect(decodeWords('float32', [0x7f80, 0x0000], BB)).toBe(Infinity);
    expect(decodeWords('float32', [0x0000, 0xff80], LB)).toBe(-Infinity);
    expect(decodeWords('float64', [0x7ff8, 0, 0, 0], BB)).toBeNaN();
  });

  it('ends text at the first NUL and drops trailing blanks', () => {
    expect(decodeWords('string', [0x4142, 0x0043, 0x4445], BB)).toBe('AB');
    expect(decodeWords('string', [0x4142, 0x2020, 0x2000], BB)).toBe('AB');
    expect(decodeWords('string', [0, 0], BB)).toBe('');
  });

  it('pads text with NULs and cuts it to the registers', () => {
    expect(encodeWords('string', 'ABC', 3, BB)).toEqual([0x4142, 0x4300, 0]);
    expect(encodeWords('string', 'ABCDEF', 2, BB)).toEqual([0x4142, 0x4344]);
  });

  it('throws on raw integers outside their type (a caller bug, not input)', () => {
    expect(() => encodeWords('uint16', 65536, 1, BB)).toThrow(RangeError);
    expect(() => encodeWords('int16', 1.5, 1, BB)).toThrow(RangeError);
    expect(() => encodeWords('int32', 'x', 2, BB)).toThrow(TypeError);
  });
});
