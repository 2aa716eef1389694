import { describe, expect, it } from 'vitest';
import { parseUnitIdList, registerRows, toHex } from '../../../renderer/lib/registers';

describe('register rows', () => {
  it('shows words as decimal, signed, hex and text', () => {
    const rows = registerRows({
      url: 'x',
      function: 3,
      address: 40000,
      values: [0x5375, 0x6e53, 0x8000, 0x0001],
      readAtMs: 0,
    });
    expect(rows.map((r) => [r.address, r.hex, r.text, r.signed])).toEqual([
      [40000, '0x5375', 'Su', 21365],
      [40001, '0x6E53', 'nS', 28243],
      [40002, '0x8000', '··', -32768],
      [40003, '0x0001', '··', 1],
    ]);
    expect(toHex(0)).toBe('0x0000');
  });
});

describe('unit id lists', () => {
  it('reads ids and ranges in order, without repeats', () => {
    expect(parseUnitIdList('1-3, 126,2, 200 - 201')).toEqual([1, 2, 3, 126, 200, 201]);
    expect(parseUnitIdList('247')).toEqual([247]);
  });

  it('refuses what is not a list of ids in 1–247', () => {
    for (const text of ['', '0', '248', '5-3', '1,,2', 'a', '1-300'])
      expect(parseUnitIdList(text), text).toBe(null);
  });
});
