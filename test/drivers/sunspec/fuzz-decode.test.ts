// Fuzz: decodeModel for every model in the table with random words and random L, and with
// bodies made only of sentinels. Whatever a device puts in its registers, decoding returns a
// typed error or values a caller can use: numbers that are real numbers, text, or null.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../drivers/sunspec/decode';
import { allModelIds, getModelDef } from '../../../drivers/sunspec/model-table';
import type { DecodedGroup, SunspecModelDef } from '../../../drivers/sunspec/model-types';
import type { SunspecErrorCode } from '../../../drivers/sunspec/sunspec-error';

const DECODE_CODES: SunspecErrorCode[] = ['length_mismatch', 'bad_count', 'short_body'];
const ids = allModelIds();
const def = (id: number): SunspecModelDef => getModelDef(id)!;

/** Every value in a decoded model (all groups, all instances), with its path. */
function* values(group: DecodedGroup, path = ''): Generator<[string, unknown]> {
  for (const [name, value] of Object.entries(group.points)) yield [`${path}${name}`, value];
  for (const [name, instances] of Object.entries(group.groups))
    for (const [i, instance] of instances.entries())
      yield* values(instance, `${path}${name}[${i}].`);
}

function checkDecoded(model: SunspecModelDef, words: ArrayLike<number>, lengthRegs: number): void {
  const result = decodeModel(model, Uint16Array.from(words), lengthRegs);
  if (!result.ok) {
    expect(DECODE_CODES).toContain(result.error.code);
    expect(result.error.modelId).toBe(model.id);
    return;
  }
  expect(result.value).toMatchObject({ id: model.id, lengthRegs });
  for (const [path, value] of values(result.value)) {
    if (typeof value === 'number')
      expect(Number.isFinite(value), `${model.id} ${path} = ${value}`).toBe(true);
    else if (value !== null) expect(typeof value, `${model.id} ${path}`).toBe('string');
  }
}

const wordArb = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }),
  fc.constantFrom(0, 0xffff, 0x8000, 0x7fff, 0x7fc0, 0x7f80, 0xff80, 1),
);

describe('decodeModel on random registers', () => {
  it('returns usable values or a typed error for any words and any L', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.array(wordArb, { maxLength: 400 }),
        fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 420 })),
        (id, words, lengthArg) => {
          // -1: L as long as the words given (the usual call).
          checkDecoded(def(id), words, lengthArg < 0 ? words.length : lengthArg);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('handles L around each model’s own length, where repeating groups get counted', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ids),
        fc.integer({ min: -3, max: 60 }),
        fc.integer(),
        (id, extra, seed) => {
          const model = def(id);
          const length = Math.max(0, model.fixedLengthRegs + extra);
          let x = seed >>> 0;
          const words = Array.from({ length }, () => (x = (Math.imul(x, 69069) + 1) >>> 0) >>> 16);
          checkDecoded(model, words, length);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it.each([
    ['0000', 0x0000],
    ['FFFF', 0xffff],
    ['8000', 0x8000],
    ['7FFF', 0x7fff],
    ['7F80', 0x7f80],
  ])('decodes every model filled with 0x%s at its fixed length and beyond', (_, word) => {
    for (const id of ids) {
      const model = def(id);
      for (const length of [model.fixedLengthRegs, model.fixedLengthRegs + 37, 0]) {
        checkDecoded(model, new Array(length).fill(word), length);
      }
    }
  });

  it('gives null, not NaN or Infinity, for scale factors outside -10..10 and infinite floats', () => {
    // Model 101: A = 0 with A_SF = 309 (0 × 10^309 is NaN); W = 7 with W_SF = 11.
    const inverter = new Array(50).fill(0);
    inverter[4] = 309;
    inverter[12] = 7;
    inverter[13] = 11;
    const decoded = decodeModel(def(101), inverter);
    expect(decoded.ok && [decoded.value.points.A, decoded.value.points.W]).toEqual([null, null]);
    inverter[13] = 0xfff6; // W_SF = -10: still allowed
    const allowed = decodeModel(def(101), inverter);
    expect(allowed.ok && allowed.value.points.W).toBe(7e-10);
    // Model 111 (float): W = +Infinity (0x7F80 0x0000).
    const floats = new Array(def(111).fixedLengthRegs).fill(0);
    const w = def(111).points.find((p) => p.name === 'W')!.offset;
    floats[w] = 0x7f80;
    const floatDecoded = decodeModel(def(111), floats);
    expect(floatDecoded.ok && floatDecoded.value.points.W).toBeNull();
  });
});
