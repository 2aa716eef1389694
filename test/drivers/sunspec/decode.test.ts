// Decoding from raw register words whose meaning was worked out by hand from the
// SunSpec model definitions (offsets are body-relative: 0 = first register after ID, L).
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../drivers/sunspec/decode';
import { getModelDef, parseModelTable } from '../../../drivers/sunspec/model-table';
import type { DecodedModel, SunspecModelDef } from '../../../drivers/sunspec/model-types';

function words(length: number, at: Record<number, number[]>): Uint16Array {
  const out = new Uint16Array(length);
  for (const [offset, values] of Object.entries(at)) out.set(values, Number(offset));
  return out;
}

function decoded(def: SunspecModelDef, body: Uint16Array, lengthRegs?: number): DecodedModel {
  const result = decodeModel(def, body, lengthRegs);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const m103 = getModelDef(103)!;
const m63001 = getModelDef(63001)!;

describe('decodeModel: integer model 103 with scale factors', () => {
  const body = words(50, {
    0: [1234], // A
    4: [0xfffe], // A_SF = -2
    8: [2301], // PhVphA
    11: [0xffff], // V_SF = -1
    12: [0xfc18], // W = -1000
    13: [1], // W_SF = +1
    14: [5002, 0xfffe], // Hz, Hz_SF = -2
    16: [0x8000, 0], // VA not implemented, VA_SF 0
    18: [500, 0x8000], // VAr = 500 but VAr_SF not implemented
    22: [0x0001, 0x86a0, 0], // WH = 100000 (acc32), WH_SF 0
    25: [0xffff, 0], // DCA not implemented
    36: [4, 0xffff], // St = MPPT, StVnd not implemented
    38: [0x0000, 0x0081], // Evt1: bits 0 and 7
    40: [0xffff, 0xffff], // Evt2 not implemented
    42: [0x8000, 0x0001], // EvtVnd1: bit 31 and bit 0
  });
  const m = decoded(m103, body);

  it('applies negative scale factors exactly (2301 at SF -1 is 230.1)', () => {
    expect(m.points.PhVphA).toBe(230.1);
    expect(m.points.A).toBe(12.34);
    expect(m.points.Hz).toBe(50.02);
  });

  it('applies positive scale factors to signed values', () => {
    expect(m.points.W).toBe(-10000);
  });

  it('reports sentinels as null, never as raw numbers', () => {
    expect(m.points.VA).toBeNull(); // int16 0x8000
    expect(m.points.DCA).toBeNull(); // uint16 0xFFFF
    expect(m.points.StVnd).toBeNull(); // enum16 0xFFFF
    expect(m.points.Evt2).toBeNull(); // bitfield32 0xFFFFFFFF
  });

  it('makes a value null when its scale factor is not implemented', () => {
    expect(m.points.VAr_SF).toBeNull();
    expect(m.points.VAr).toBeNull();
  });

  it('decodes acc32, enum16 and bitfield32 as unsigned numbers', () => {
    expect(m.points.WH).toBe(100000);
    expect(m.points.St).toBe(m103.points.find((p) => p.name === 'St')!.symbols!.MPPT);
    expect(m.points.Evt1).toBe(0b1000_0001);
    expect(m.points.EvtVnd1).toBe(2 ** 31 + 1);
  });

  it('reads acc32 zero as not implemented', () => {
    const zero = decoded(m103, words(50, { 22: [0, 0] }));
    expect(zero.points.WH).toBeNull();
  });

  it('returns model identity and L', () => {
    expect(m).toMatchObject({ id: 103, name: 'inverter_three_phase', lengthRegs: 50, groups: {} });
  });
});

describe('decodeModel: every type of test model 63001', () => {
  const body = words(m63001.fixedLengthRegs + 18, {
    0: [2, 0x8000, 0, 0], // sunssf_1 = 2, sunssf_2 not implemented, sunssf_3/4 = 0
    4: [7, 7], // int16_1 (SF 2), int16_2 (SF null)
    16: [7, 0], // acc16 = 7, acc16_u = 0 → null
    18: [3, 0xffff], // enum16, enum16_u
    20: [0x8001, 0xffff], // bitfield16, bitfield16_u
    22: [0x0001, 0xe240], // int32_1 = 123456, SF sunssf_5 = -3
    28: [0xffff, 0xfffe, 0x8000, 0x0000], // int32_4 = -2, int32_5 not implemented
    38: [0x8000, 0x0000, 0, 42], // uint32_3 = 2^31 (sunssf_7 = 0), uint32_4 = 42 with fixed SF 1
    42: [0xffff, 0xffff], // uint32_5 not implemented
    50: [0x0001, 0x0000, 0xffff, 0xffff], // enum32 = 65536, enum32_u not implemented
    58: [0xc0a8, 0x010a, 0, 0], // ipaddr 192.168.1.10, ipaddr_u
    62: [0xffff, 0xffff, 0xffff, 0xfffe], // int64 = -2
    66: [0x8000, 0, 0, 0], // int64_u not implemented
    70: [0x0020, 0, 0, 1], // acc64 = 2^53 + 1: not exact as a JS number
    78: [0x2001, 0x0db8, 0, 0, 0, 0, 0, 1], // ipv6addr
    94: [0x4148, 0x0000, 0x7fc0, 0x0000], // float32 = 12.5, float32_u NaN
    98: [0x4865, 0x6c6c, 0x6f20, 0x2000], // string "Hello  " then NULs
    130: [0xfffd, 0, 0], // sunssf_5 = -3
    134: [0xffff, 55, 0, 0, 0, 0, 0, 0, 0, 3], // group: sunssf_8 = -1, int16_11 = 55, …, int32 = 3 (SF top-level sunssf_1)
    150: [2], // group sunssf_9 = 2
  });
  const m = decoded(m63001, body);

  it('decodes 16-bit types, with sentinels as null', () => {
    expect(m.points).toMatchObject({
      int16_1: 700,
      int16_2: null,
      acc16: 7,
      acc16_u: null,
      enum16: 3,
      enum16_u: null,
    });
    expect(m.points).toMatchObject({ bitfield16: 0x8001, bitfield16_u: null });
  });

  it('decodes 32-bit integers big-endian, signed and unsigned', () => {
    expect(m.points).toMatchObject({ int32_1: 123.456, int32_4: -2, int32_5: null });
    expect(m.points).toMatchObject({
      uint32_3: 2 ** 31,
      uint32_4: 420,
      uint32_5: null,
      enum32: 65536,
      enum32_u: null,
    });
  });

  it('decodes 64-bit integers, as exact strings beyond 2^53', () => {
    expect(m.points).toMatchObject({
      int64: -2,
      int64_u: null,
      acc64: '9007199254740993',
      acc64_u: null,
    });
  });

  it('decodes addresses, floats, strings and pads', () => {
    expect(m.points).toMatchObject({
      ipaddr: '192.168.1.10',
      ipaddr_u: null,
      ipv6addr: '2001:db8:0:0:0:0:0:1',
      ipv6addr_u: null,
    });
    expect(m.points).toMatchObject({
      float32: 12.5,
      float32_u: null,
      string: 'Hello',
      string_u: null,
      pad_1: null,
    });
  });

  it('looks scale factors up in the group first, then in the fixed block', () => {
    const [instance] = m.groups.repeating!;
    expect(instance!.points).toMatchObject({
      sunssf_8: -1,
      int16_11: 5.5,
      int32: 300,
      sunssf_9: 2,
    });
  });
});

describe('decodeModel: other representations', () => {
  it('formats eui48 from the last 6 of its 8 bytes', () => {
    const m = decoded(getModelDef(11)!, words(13, { 3: [0x0000, 0x0011, 0x22aa, 0xbbcc] }));
    expect(m.points.MAC).toBe('00:11:22:AA:BB:CC');
    const blank = decoded(getModelDef(11)!, words(13, { 3: [0, 0xffff, 0xffff, 0xffff] }));
    expect(blank.points.MAC).toBeNull();
  });

  it('decodes float64, and prefers a group-local scale factor over a top-level one of the same name', () => {
    const table = parseModelTable({
      format: 1,
      models: [
        {
          id: 64999,
          name: 'synthetic',
          label: 'Synthetic',
          fixedLengthRegs: 6,
          points: [
            { name: 'F', offset: 0, size: 4, type: 'float64' },
            { name: 'X_SF', offset: 4, size: 1, type: 'sunssf' },
            { name: 'V', offset: 5, size: 1, type: 'uint16', sf: 'X_SF' },
          ],
          groups: [
            {
              name: 'g',
              count: 0,
              lengthRegs: 2,
              points: [
                { name: 'X_SF', offset: 0, size: 1, type: 'sunssf' },
                { name: 'V', offset: 1, size: 1, type: 'uint16', sf: 'X_SF' },
              ],
            },
          ],
        },
      ],
    });
    const def = table.get(64999)!;
    // float64 -1.5 = 0xBFF8000000000000
    const m = decoded(def, Uint16Array.from([0xbff8, 0, 0, 0, 1, 12, 0xfffe, 12]));
    expect(m.points).toEqual({ F: -1.5, X_SF: 1, V: 120 });
    expect(m.groups.g).toEqual([{ points: { X_SF: -2, V: 0.12 }, groups: {} }]);
  });

  it('decodes UTF-8 text and stops at the first NUL', () => {
    const m = decoded(getModelDef(1)!, words(66, { 0: [0xc3a9, 0x7400, 0x4142] })); // "ét" NUL "AB"
    expect(m.points.Mn).toBe('ét');
  });

  it('reads points beyond a short L as absent (model 1 with L = 65 has no pad)', () => {
    const body = words(66, { 64: [7, 0] });
    const m = decoded(getModelDef(1)!, body.subarray(0, 65), 65);
    expect(m.points.DA).toBe(7);
    expect(m.points.Pad).toBeNull();
    expect(m.lengthRegs).toBe(65);
  });

  it('refuses fewer words than L', () => {
    const result = decodeModel(m103, new Uint16Array(40), 50);
    expect(result).toMatchObject({ ok: false, error: { code: 'short_body' } });
  });

  it('masks plain number arrays to 16 bits', () => {
    const body = Array.from(words(50, {}));
    body[12] = -1000; // a reader that hands out signed words: 0xFC18
    const result = decodeModel(m103, body);
    expect(result.ok && result.value.points.W).toBe(-1000);
  });
});
