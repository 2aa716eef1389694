// The simulator's register image: layout, reads and writes as a device answers them,
// and the live values the physics loop sets and the station writes.
import { describe, expect, it } from 'vitest';
import { buildSunspecImage, type WrittenPoint } from '../../../drivers/sunspec/device-image';
import { encodePointWrite } from '../../../drivers/sunspec/encode';
import { getModelDef } from '../../../drivers/sunspec/model-table';

const battery = () =>
  buildSunspecImage({
    models: [
      { id: 1, values: { points: { Mn: 'Acme', Md: 'B-10', SN: 'B1' } } },
      {
        id: 124,
        values: { points: { WChaMax: 5000, ChaState: 55.5 } },
        scaleFactors: { ChaState_SF: -1, InOutWRte_SF: -1 },
      },
      {
        id: 704,
        scaleFactors: { WMaxLimPct_SF: -1, WSet_SF: 0 },
        values: { points: { WMaxLimPct: 100, WMaxLimPctEna: 0 } },
      },
      { id: 160, repeats: 2, scaleFactors: { DCW_SF: 0 } },
    ],
  });

describe('buildSunspecImage layout', () => {
  it('lays out marker, headers, bodies and end marker from the base address', () => {
    const image = battery();
    expect(Array.from(image.words.subarray(0, 4))).toEqual([0x5375, 0x6e53, 1, 66]);
    expect(image.models.map((m) => [m.id, m.address, m.length])).toEqual([
      [1, 40002, 66],
      [124, 40070, 24],
      [704, 40096, 65],
      [160, 40163, 48],
    ]);
    expect(Array.from(image.words.subarray(-2))).toEqual([0xffff, 0]);
    expect(image.words).toHaveLength(2 + 68 + 26 + 67 + 50 + 2);
  });

  it('refuses an image that does not fit below register 65536', () => {
    expect(() => buildSunspecImage({ baseAddress: 65500, models: [{ id: 1 }] })).toThrow(
      /does not fit at 65500/,
    );
  });

  it('refuses models without a definition unless their body is given', () => {
    expect(() => buildSunspecImage({ models: [{ id: 64999 }] })).toThrow(
      /no definition for SunSpec model 64999/,
    );
  });
});

describe('readRegisters', () => {
  it('answers inside the image with a copy of the words', () => {
    const image = battery();
    const read = image.readRegisters(40000, 4);
    expect(read).toEqual({ ok: true, value: Uint16Array.of(0x5375, 0x6e53, 1, 66) });
    if (read.ok) read.value[0] = 0;
    expect(image.words[0]).toBe(0x5375);
  });

  it('answers illegal address outside the image and illegal value for bad quantities', () => {
    const image = battery();
    const end = 40000 + image.words.length;
    expect(image.readRegisters(39999, 2)).toMatchObject({
      ok: false,
      error: { code: 'illegal_address', exceptionCode: 2 },
    });
    expect(image.readRegisters(end - 1, 2)).toMatchObject({
      ok: false,
      error: { code: 'illegal_address' },
    });
    expect(image.readRegisters(end - 1, 1).ok).toBe(true);
    expect(image.readRegisters(40000, 126)).toMatchObject({
      ok: false,
      error: { code: 'illegal_value', exceptionCode: 3 },
    });
  });
});

describe('setPoint and getPoint', () => {
  it('reads the values the image was built with, scaled', () => {
    const image = battery();
    expect(image.getPoint(124, 'ChaState')).toBe(55.5);
    expect(image.getPoint(1, 'Mn')).toBe('Acme');
    expect(image.getPoint(124, 'InBatV')).toBeNull();
  });

  it('sets read-only measurements in engineering units at the current scale factor', () => {
    const image = battery();
    expect(image.setPoint(124, 'ChaState', 61.2)).toEqual({ ok: true, value: undefined });
    expect(image.words[70 + 2 + 6]).toBe(612); // body offset 6 of model 124
    expect(image.getPoint(124, 'ChaState')).toBe(61.2);
    expect(image.setPoint(160, 'module.DCW', 2500, 1)).toEqual({ ok: true, value: undefined });
    expect(image.getPoint(160, 'module.DCW', [1])).toBe(2500);
    expect(image.getPoint(160, 'module.DCW', 0)).toBeNull();
  });

  it('refuses values out of range and unknown points as results, and throws in getPoint', () => {
    const image = battery();
    expect(image.setPoint(124, 'ChaState', 7000)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(image.setPoint(124, 'Nope', 1)).toMatchObject({
      ok: false,
      error: { code: 'unknown_point' },
    });
    expect(image.setPoint(999, 'W', 1)).toMatchObject({
      ok: false,
      error: { code: 'unknown_model' },
    });
    expect(() => image.getPoint(124, 'Nope')).toThrow(/no point Nope/);
  });

  it('addresses repeated models by occurrence', () => {
    const image = buildSunspecImage({
      models: [
        { id: 1, values: { points: { SN: 'inverter' } } },
        { id: 1, values: { points: { SN: 'meter' } } },
      ],
    });
    expect(image.getPoint({ id: 1, occurrence: 1 }, 'SN')).toBe('meter');
    image.setPoint({ id: 1, occurrence: 1 }, 'SN', 'meter-2');
    expect(image.getModel({ id: 1, occurrence: 1 }).points.SN).toBe('meter-2');
    expect(image.getPoint(1, 'SN')).toBe('inverter');
  });
});

describe('writeRegisters', () => {
  it('accepts a station write of a control point and reports it', () => {
    const image = battery();
    const seen: WrittenPoint[][] = [];
    const dispose = image.onWrite((points) => seen.push([...points]));
    const write = encodePointWrite(
      getModelDef(704)!,
      'WMaxLimPct',
      42.5,
      image.getPoint(704, 'WMaxLimPct_SF') as number,
    );
    if (!write.ok) throw new Error(write.error.message);
    const address = image.models[2]!.address + 2 + write.value.offset;
    expect(image.writeRegisters(address, write.value.words)).toEqual({
      ok: true,
      value: undefined,
    });
    expect(image.getPoint(704, 'WMaxLimPct')).toBe(42.5);
    expect(seen).toEqual([
      [{ modelId: 704, modelAddress: 40096, path: 'WMaxLimPct', groupIndex: [] }],
    ]);
    dispose();
    image.writeRegisters(address, [500]);
    expect(seen).toHaveLength(1);
  });

  it('accepts one write across consecutive writable points', () => {
    const image = battery();
    const seen: string[] = [];
    image.onWrite((points) => seen.push(...points.map((p) => p.path)));
    // 124 body offsets 0..2: WChaMax, WChaGra, WDisChaGra, all rw.
    expect(image.writeRegisters(40072, [4000, 10, 20]).ok).toBe(true);
    expect(seen).toEqual(['WChaMax', 'WChaGra', 'WDisChaGra']);
  });

  it('refuses read-only registers, headers and half a 32-bit point as illegal address', () => {
    const image = battery();
    const before = Uint16Array.from(image.words);
    expect(image.writeRegisters(40072 + 6, [1])).toMatchObject({
      ok: false,
      error: { code: 'illegal_address' },
    }); // ChaState
    expect(image.writeRegisters(40070, [124, 24])).toMatchObject({
      ok: false,
      error: { code: 'illegal_address' },
    });
    // 704 WSet is int32 at body offset 22: writing only its first word is refused.
    const wSet = 40096 + 2 + 22;
    const half = image.writeRegisters(wSet, [0]);
    expect(half).toMatchObject({ ok: false, error: { code: 'illegal_address' } });
    if (!half.ok) expect(half.error.message).toContain('ends inside WSet');
    expect(image.writeRegisters(wSet + 1, [0])).toMatchObject({
      ok: false,
      error: { code: 'illegal_address' },
    });
    expect(image.writeRegisters(wSet, [0xffff, 0xff38]).ok).toBe(true);
    expect(image.getPoint(704, 'WSet')).toBe(-200);
    before.set([0xffff, 0xff38], wSet - 40000);
    expect(image.words).toEqual(before); // nothing else changed
  });

  it('refuses enum values the model does not define as illegal value', () => {
    const image = battery();
    const ena = 40096 + 2 + 12; // WMaxLimPctEna: 0 = DISABLED, 1 = ENABLED
    const bad = image.writeRegisters(ena, [7]);
    expect(bad).toMatchObject({ ok: false, error: { code: 'illegal_value', exceptionCode: 3 } });
    if (!bad.ok) expect(bad.error.message).toContain('7 is not a value of WMaxLimPctEna');
    expect(image.getPoint(704, 'WMaxLimPctEna')).toBe(0);
    expect(image.writeRegisters(ena, [1]).ok).toBe(true);
  });

  it('refuses writes outside the image or longer than 123 registers', () => {
    const image = battery();
    expect(image.writeRegisters(30000, [1])).toMatchObject({
      ok: false,
      error: { code: 'illegal_address' },
    });
    expect(image.writeRegisters(40002, new Array(124).fill(0))).toMatchObject({
      ok: false,
      error: { code: 'illegal_value' },
    });
  });
});
