// What a technician types: unit id lists, point names and point values.
import { describe, expect, it } from 'vitest';
import { parsePointPath } from '../../../drivers/commissioning/point-path';
import { symbolOf } from '../../../drivers/commissioning/point-rows';
import { parsePointValue } from '../../../drivers/commissioning/point-value-input';
import {
  defaultScanOrder,
  parseUnitIds,
  TYPICAL_UNIT_IDS,
} from '../../../drivers/commissioning/unit-ids';
import type { SunspecPointDef } from '../../../drivers/sunspec/model-types';

describe('unit ids', () => {
  it('tries the typical ids first, then vendor ids from the quirks, then every other id of 1–247 once', () => {
    const order = defaultScanOrder();
    expect(order.slice(0, 10)).toEqual([1, 2, 3, 126, 200, 201, 202, 203, 204, 240]);
    expect(order.slice(0, 10)).toEqual(TYPICAL_UNIT_IDS);
    expect(order.slice(10, 14)).toEqual([241, 242, 243, 244]); // Fronius meters (quirks.json)
    expect(order.slice(14, 17)).toEqual([4, 5, 6]);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 247 }, (_, i) => i + 1));
  });

  it('parses lists and ranges in the order given, without duplicates', () => {
    expect(parseUnitIds('1-3, 126,200 - 202,2')).toEqual({
      ok: true,
      value: [1, 2, 3, 126, 200, 201, 202],
    });
    expect(parseUnitIds('247')).toEqual({ ok: true, value: [247] });
  });

  it.each([
    ['0', /"0" is outside the range/],
    ['1-248', /"1-248" is outside the range/],
    ['5-2', /"5-2" runs backwards/],
    ['1,,2', /empty entry/],
    ['abc', /"abc" is not an id or a range/],
    ['1-', /"1-" is not an id or a range/],
  ])('refuses %s', (text, message) => {
    const result = parseUnitIds(text);
    expect(result).toMatchObject({ ok: false, error: { code: 'bad_unit_ids' } });
    if (!result.ok) expect(result.error.message).toMatch(message);
  });
});

describe('point paths', () => {
  it('splits group indices from names', () => {
    expect(parsePointPath('WMaxLimPct')).toEqual({
      ok: true,
      value: { path: 'WMaxLimPct', groupIndex: [], label: 'WMaxLimPct' },
    });
    expect(parsePointPath('Crv[2].Pt[0].V')).toEqual({
      ok: true,
      value: { path: 'Crv.Pt.V', groupIndex: [2, 0], label: 'Crv[2].Pt[0].V' },
    });
  });

  it.each(['', 'W[0]', 'module.DCA', 'a b', 'module[x].DCA', '.W'])('refuses "%s"', (text) => {
    expect(parsePointPath(text)).toMatchObject({ ok: false, error: { code: 'unknown_point' } });
  });
});

const point = (over: Partial<SunspecPointDef>): SunspecPointDef => ({
  name: 'P',
  offset: 0,
  size: 1,
  type: 'uint16',
  sf: null,
  units: null,
  access: 'rw',
  mandatory: false,
  symbols: null,
  ...over,
});

describe('point values', () => {
  const enumPoint = point({ type: 'enum16', symbols: { DISABLED: 0, ENABLED: 1 } });
  const bits = point({ type: 'bitfield16', symbols: { CHARGE: 0, DiSCHARGE: 1 } });

  it('takes enum symbols (exact or any case) and their numbers', () => {
    expect(parsePointValue(enumPoint, 'ENABLED', 'P')).toEqual({ ok: true, value: 1 });
    expect(parsePointValue(enumPoint, 'disabled', 'P')).toEqual({ ok: true, value: 0 });
    expect(parsePointValue(enumPoint, '1', 'P')).toEqual({ ok: true, value: 1 });
    expect(parsePointValue(enumPoint, '2', 'P')).toMatchObject({
      ok: false,
      error: {
        code: 'out_of_range',
        message: 'P: "2" is not one of its values (DISABLED=0, ENABLED=1)',
      },
    });
  });

  it('takes bitfields as numbers or symbols joined by +', () => {
    expect(parsePointValue(bits, 'CHARGE+DiSCHARGE', 'P')).toEqual({ ok: true, value: 3 });
    expect(parsePointValue(bits, 'discharge', 'P')).toEqual({ ok: true, value: 2 });
    expect(parsePointValue(bits, '0x2', 'P')).toEqual({ ok: true, value: 2 });
    expect(parsePointValue(bits, 'CHARGE+IDLE', 'P')).toMatchObject({
      ok: false,
      error: { code: 'out_of_range' },
    });
    expect(symbolOf(bits, 3)).toBe('CHARGE+DiSCHARGE');
    expect(symbolOf(point({ type: 'bitfield32', symbols: { TOP: 31 } }), 2 ** 31)).toBe('TOP');
  });

  it('takes decimal numbers, and hex only where no scale factor applies', () => {
    expect(parsePointValue(point({}), ' 42 ', 'P')).toEqual({ ok: true, value: 42 });
    expect(parsePointValue(point({}), '0xFF', 'P')).toEqual({ ok: true, value: 255 });
    expect(parsePointValue(point({ sf: 'P_SF' }), '12.5', 'P')).toEqual({ ok: true, value: 12.5 });
    expect(parsePointValue(point({ sf: 'P_SF' }), '0x10', 'P')).toMatchObject({
      ok: false,
      error: { code: 'wrong_type' },
    });
    expect(parsePointValue(point({ type: 'float32', size: 2 }), '-1e3', 'P')).toEqual({
      ok: true,
      value: -1000,
    });
    expect(parsePointValue(point({}), '', 'P')).toMatchObject({ ok: false });
    expect(parsePointValue(point({}), 'NaN', 'P')).toMatchObject({ ok: false });
  });

  it('keeps every digit of 64-bit values, and text as typed', () => {
    expect(
      parsePointValue(point({ type: 'uint64', size: 4 }), '18446744073709551614', 'P'),
    ).toEqual({ ok: true, value: '18446744073709551614' });
    expect(parsePointValue(point({ type: 'string', size: 8 }), ' Site A ', 'P')).toEqual({
      ok: true,
      value: ' Site A ',
    });
  });
});
