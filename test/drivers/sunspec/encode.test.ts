// Point writes (the station's control path) and whole-model encoding (the simulators).
import { describe, expect, it } from 'vitest';
import { decodeModel } from '../../../drivers/sunspec/decode';
import { encodeModel, encodePointWrite } from '../../../drivers/sunspec/encode';
import { getModelDef } from '../../../drivers/sunspec/model-table';

const m704 = getModelDef(704)!;
const m124 = getModelDef(124)!;
const m63001 = getModelDef(63001)!;

describe('encodePointWrite', () => {
  it('scales a control value into the register it belongs to', () => {
    // WMaxLimPct is the 12th point of 704, at body offset 13; SF -1 → 55.5 % is raw 555.
    expect(encodePointWrite(m704, 'WMaxLimPct', 55.5, -1)).toEqual({
      ok: true,
      value: { offset: 13, words: Uint16Array.of(555) },
    });
    // WSet is int32 at offset 22 (after WSetEna, WSetMod): -2000 W at SF 1 is raw -200 = 0xFFFF_FF38.
    expect(encodePointWrite(m704, 'WSet', -2000, 1)).toEqual({
      ok: true,
      value: { offset: 22, words: Uint16Array.of(0xffff, 0xff38) },
    });
  });

  it('writes points inside groups at their instance', () => {
    // 704 sync group PFWAbs follows the 57-register top level and two 2-register groups.
    expect(encodePointWrite(m704, 'PFWAbs.PF', 0.95, -3)).toEqual({
      ok: true,
      value: { offset: 61, words: Uint16Array.of(950) },
    });
    // 705 Crv[1].Pt[2].V with NPt = 4: 13 + (10 + 8) + 10 + 2 × 2.
    const m705 = getModelDef(705)!;
    const write = encodePointWrite(m705, 'Crv.Pt.V', 105, -1, [1, 2], { NCrv: 3, NPt: 4 });
    expect(write).toEqual({ ok: true, value: { offset: 45, words: Uint16Array.of(1050) } });
  });

  it('refuses read-only points', () => {
    const result = encodePointWrite(m704, 'WMaxLimPctRvrtRem', 10, null);
    expect(result).toMatchObject({ ok: false, error: { code: 'read_only', modelId: 704 } });
    if (!result.ok) expect(result.error.message).toContain('WMaxLimPctRvrtRem');
  });

  it('refuses unknown points, groups and instance indices', () => {
    expect(encodePointWrite(m704, 'WMaxLimPcnt', 10, -1)).toMatchObject({
      ok: false,
      error: { code: 'unknown_point' },
    });
    expect(encodePointWrite(m704, 'Nope.PF', 1, -1)).toMatchObject({
      ok: false,
      error: { code: 'unknown_point' },
    });
    const beyond = encodePointWrite(getModelDef(705)!, 'Crv.Pt.V', 100, 0, [3, 0], {
      NCrv: 3,
      NPt: 4,
    });
    expect(beyond).toMatchObject({ ok: false, error: { code: 'unknown_point' } });
    if (!beyond.ok) expect(beyond.error.message).toContain('index 3 is outside 0..2');
  });

  it('needs the counts when a position depends on them', () => {
    expect(encodePointWrite(getModelDef(705)!, 'Crv.Pt.V', 100, 0, [1, 0])).toMatchObject({
      ok: false,
      error: { code: 'bad_count' },
    });
  });

  it('refuses values outside the type range, naming point, value and limits', () => {
    const result = encodePointWrite(m704, 'WMaxLimPct', 7000, -1);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('out_of_range');
    expect(result.error.message).toBe(
      'model 704 WMaxLimPct: 7000 Pct is outside 0..6553.4 Pct (uint16, SF -1)',
    );
    expect(encodePointWrite(m704, 'WMaxLimPct', -1, -1)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
  });

  it('refuses the sentinel itself, which would read back as "not implemented"', () => {
    // int16 -32768 and uint16 65535 are the sentinels; the neighbours are data.
    expect(encodePointWrite(m704, 'WSetPct', -327.68, -2)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(encodePointWrite(m704, 'WSetPct', -327.67, -2)).toMatchObject({
      ok: true,
      value: { words: Uint16Array.of(0x8001) },
    });
    expect(encodePointWrite(m704, 'WRmp', 65535, null)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(encodePointWrite(m704, 'WRmp', 65534, null)).toMatchObject({ ok: true });
  });

  it('refuses values that are not a whole number of steps at the scale factor', () => {
    const result = encodePointWrite(m704, 'WMaxLimPct', 55.55, -1);
    expect(result).toMatchObject({ ok: false, error: { code: 'out_of_range' } });
    if (!result.ok) expect(result.error.message).toContain('55.55 Pct is not a multiple of 0.1');
    // Binary noise from arithmetic is not a refusal: 0.1 + 0.2 is 0.3 at SF -1.
    expect(encodePointWrite(m704, 'WMaxLimPct', 0.1 + 0.2, -1)).toMatchObject({
      ok: true,
      value: { words: Uint16Array.of(3) },
    });
    expect(encodePointWrite(m124, 'WChaMax', 1550, 2)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(encodePointWrite(m124, 'WChaMax', 1500, 2)).toMatchObject({
      ok: true,
      value: { words: Uint16Array.of(15) },
    });
  });

  it('refuses a scaled write when the device has no scale factor, and values of the wrong type', () => {
    expect(encodePointWrite(m704, 'WMaxLimPct', 50, null)).toMatchObject({
      ok: false,
      error: { code: 'no_scale_factor' },
    });
    expect(encodePointWrite(m704, 'WMaxLimPct', '50', -1)).toMatchObject({
      ok: false,
      error: { code: 'wrong_type' },
    });
    expect(encodePointWrite(m704, 'WMaxLimPct', Number.NaN, -1)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
  });

  it('encodes text, addresses, floats and 64-bit integers with their limits', () => {
    expect(encodePointWrite(m63001, 'string', 'ab', null)).toMatchObject({
      ok: true,
      value: { offset: 98, words: Uint16Array.from([0x6162, ...new Array(15).fill(0)]) },
    });
    expect(encodePointWrite(m63001, 'string', 'x'.repeat(33), null)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(encodePointWrite(m63001, 'ipaddr', '10.0.0.256', null)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(encodePointWrite(m63001, 'ipaddr', '10.0.0.1', null)).toMatchObject({
      ok: true,
      value: { words: Uint16Array.of(0x0a00, 0x0001) },
    });
    expect(encodePointWrite(m63001, 'float32', 1e39, null)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(encodePointWrite(m63001, 'float32', -2.5, null)).toMatchObject({
      ok: true,
      value: { words: Uint16Array.of(0xc020, 0) },
    });
    expect(encodePointWrite(m63001, 'int64', 2n ** 63n, null)).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(encodePointWrite(m63001, 'int64', '-9223372036854775807', null)).toMatchObject({
      ok: true,
      value: { words: Uint16Array.of(0x8000, 0, 0, 1) },
    });
  });

  it('writes the sentinel for null', () => {
    expect(encodePointWrite(m704, 'WSet', null, 0)).toMatchObject({
      ok: true,
      value: { words: Uint16Array.of(0x8000, 0) },
    });
  });
});

describe('encodeModel', () => {
  it('fills missing points with sentinels and scale factors with 0 unless given', () => {
    const body = encodeModel(
      m124,
      { points: { WChaMax: 5000, MinRsvPct: 10.5 } },
      { scaleFactors: { MinRsvPct_SF: -1 } },
    );
    expect(body).toHaveLength(24);
    expect(body[0]).toBe(5000); // WChaMax at SF 0
    expect(body[5]).toBe(105); // MinRsvPct at SF -1
    expect(body[19]).toBe(0xffff); // MinRsvPct_SF = -1
    expect(body[9]).toBe(0xffff); // ChaSt: enum16 not implemented
    const decoded = decodeModel(m124, body);
    expect(decoded.ok && decoded.value.points).toMatchObject({
      WChaMax: 5000,
      MinRsvPct: 10.5,
      ChaSt: null,
      OutWRte: null,
    });
  });

  it('writes a null scale factor as its sentinel', () => {
    const body = encodeModel(m124, { points: { WChaMax_SF: null } });
    expect(body[16]).toBe(0x8000);
  });

  it('sizes the L-filling group from `repeats` and fills the count point', () => {
    const body = encodeModel(getModelDef(160)!, {}, { repeats: 3 });
    expect(body).toHaveLength(8 + 3 * 20);
    expect(body[6]).toBe(3); // N
  });

  it('throws on values that do not fit and on names the model does not have', () => {
    expect(() => encodeModel(m124, { points: { WChaMax: 70000 } })).toThrow(
      /WChaMax: 70000 W is outside 0\.\.65534 W/,
    );
    expect(() => encodeModel(m124, { points: { WChaMx: 1 } })).toThrow(/no point WChaMx/);
    expect(() => encodeModel(m124, {}, { repeats: 2 })).toThrow(/no group that repeats/);
  });
});
