// One point from raw register words to engineering units and back: scale, offset and sign
// applied exactly, "no value" as null, writes range-checked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeRegisters,
  encodePoint,
  engineeringValue,
} from '../../../drivers/profiles/point-codec';
import { decodeWords } from '../../../drivers/profiles/word-codec';
import { point } from './support/profiles';

describe('decodeRegisters', () => {
  it('scales integers without float noise', () => {
    expect(decodeRegisters(point({ type: 'int16', scale: 0.1 }), [3])).toBe(0.3);
    expect(decodeRegisters(point({ type: 'int16', scale: 0.1 }), [7])).toBe(0.7);
    expect(decodeRegisters(point({ type: 'uint16', scale: 0.01 }), [12345])).toBe(123.45);
    expect(decodeRegisters(point({ type: 'uint32', scale: 0.001 }), [0x0001, 0x0000])).toBe(65.536);
    expect(decodeRegisters(point({ type: 'int16', scale: 1000 }), [0xfff6])).toBe(-10_000);
  });

  it('applies the offset after the scale', () => {
    // e.g. a temperature in 0.1 °C above −40 °C
    expect(
      decodeRegisters(point({ type: 'uint16', scale: 0.1, offset: -40, unit: 'C' }), [215]),
    ).toBe(-18.5);
  });

  it('inverts the sign to meet the station convention, never producing -0', () => {
    const battery = point({ type: 'int16', sign: 'invert' });
    expect(decodeRegisters(battery, [0xff38])).toBe(200); // device −200 W → station +200 W
    expect(decodeRegisters(battery, [200])).toBe(-200);
    expect(Object.is(decodeRegisters(battery, [0]), 0)).toBe(true);
  });

  it('reads float32 as the decimal the device meant', () => {
    expect(decodeRegisters(point({ type: 'float32' }), [0x4366, 0x199a])).toBe(230.1);
    // 12345.678 kWh → Wh, a whole number (energy is integer Wh)
    const energy = point({ name: 'energyImportWh', type: 'float32', scale: 1000, unit: 'Wh' });
    expect(decodeRegisters(energy, [0x4640, 0xe6b6])).toBe(12_345_678);
    const swapped = point({ type: 'float32', wordOrder: 'little' });
    expect(decodeRegisters(swapped, [0x199a, 0x4366])).toBe(230.1);
  });

  it('rounds energy to whole Wh', () => {
    const energy = point({ name: 'energyExportWh', type: 'uint32', scale: 0.5, unit: 'Wh' });
    expect(decodeRegisters(energy, [0, 123])).toBe(62);
  });

  it('turns NaN, infinities and listed raw values into null', () => {
    expect(decodeRegisters(point({ type: 'float32' }), [0x7fc0, 0])).toBeNull();
    expect(decodeRegisters(point({ type: 'float32' }), [0xff80, 0])).toBeNull();
    expect(decodeRegisters(point({ type: 'float64' }), [0x7ff0, 0, 0, 0])).toBeNull();
    const sentinel = point({ type: 'uint16', nullRaw: [0xffff] });
    expect(decodeRegisters(sentinel, [0xffff])).toBeNull();
    expect(decodeRegisters(sentinel, [0xfffe])).toBe(0xfffe);
  });

  it('decodes text, a blank one as null', () => {
    const serial = point({ name: 'serialNumber', type: 'string', length: 2, unit: undefined });
    expect(decodeRegisters(serial, [0x4142, 0x4344])).toBe('ABCD');
    expect(decodeRegisters(serial, [0, 0])).toBeNull();
  });
});

describe('encodePoint', () => {
  const limit = point({
    name: 'powerLimitPct',
    type: 'uint16',
    scale: 0.1,
    unit: '%',
    writable: { min: 0, max: 100 },
  });

  it('encodes a writable value inside its range', () => {
    expect(encodePoint(limit, 55.5, true)).toEqual({ ok: true, value: [555] });
    expect(encodePoint(limit, 100, true)).toEqual({ ok: true, value: [1000] });
  });

  it('refuses values outside the writable range, on read-only points and of the wrong type', () => {
    expect(encodePoint(limit, 100.1, true)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(encodePoint(limit, -1, true)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(encodePoint(point({ type: 'int16' }), 5, true)).toMatchObject({
      ok: false,
      error: { code: 'not_writable' },
    });
    expect(encodePoint(limit, '5' as any, true)).toMatchObject({
      ok: false,
      error: { code: 'wrong_type' },
    });
    expect(encodePoint(limit, Number.NaN, true)).toMatchObject({
      ok: false,
      error: { code: 'wrong_type' },
    });
  });

  it('refuses values the register type cannot hold', () => {
    expect(encodePoint(point({ type: 'int16' }), 40_000, false)).toMatchObject({
      ok: false,
      error: { code: 'not_representable' },
    });
    expect(encodePoint(point({ type: 'uint16', scale: 0.1 }), 6553.6, false).ok).toBe(false);
    expect(encodePoint(point({ type: 'float32' }), 1e39, false).ok).toBe(false);
  });

  it('applies sign and word order on the way out', () => {
    expect(encodePoint(point({ type: 'int16', sign: 'invert' }), 200, false)).toEqual({
      ok: true,
      value: [0xff38],
    });
    expect(encodePoint(point({ type: 'float32', wordOrder: 'little' }), 230.5, false)).toEqual({
      ok: true,
      value: [0x8000, 0x4366],
    });
  });

  it('encodes "no value" as NaN for floats or the first null sentinel', () => {
    expect(encodePoint(point({ type: 'float32' }), null, false)).toEqual({
      ok: true,
      value: [0x7fc0, 0],
    });
    expect(encodePoint(point({ type: 'uint16', nullRaw: [0xffff] }), null, false)).toEqual({
      ok: true,
      value: [0xffff],
    });
    expect(encodePoint(point({ type: 'uint16' }), null, false).ok).toBe(false);
  });

  it('rounds to the nearest step, halves away from zero', () => {
    const deci = point({ type: 'int16', scale: 0.1 });
    expect(encodePoint(deci, 55.55, false)).toEqual({ ok: true, value: [556] });
    expect(encodePoint(deci, -55.55, false)).toEqual({ ok: true, value: [0x10000 - 556] });
  });
});

describe('round trip', () => {
  const ranges = {
    int16: [-0x8000, 0x7fff],
    uint16: [0, 0xffff],
    int32: [-0x80000000, 0x7fffffff],
    uint32: [0, 0xffffffff],
  } as const;

  it('every raw integer survives decode → encode for common scales, offsets and signs', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(ranges) as (keyof typeof ranges)[])),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(1, 0.1, 0.01, 0.001, 10, 1000, 0.25),
        fc.constantFrom(0, -40, 0.5),
        fc.constantFrom('as-is' as const, 'invert' as const),
        (type, at, scale, offset, sign) => {
          const [min, max] = ranges[type];
          const raw = Math.round(min + at * (max - min));
          const p = point({ type, scale, offset, sign });
          const value = engineeringValue(p, raw);
          const encoded = encodePoint(p, value, false);
          expect(encoded.ok).toBe(true);
          if (encoded.ok) expect(decodeWords(type, encoded.value as number[], p)).toBe(raw);
        },
      ),
    );
  });

  it('every finite float32 decodes to a decimal that is the same float32', () => {
    fc.assert(
      fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
        const value = engineeringValue(point({ type: 'float32' }), f);
        expect(Math.fround(value ?? NaN)).toBe(f === 0 ? 0 : f);
      }),
    );
  });
});
