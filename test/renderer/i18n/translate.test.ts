import { describe, expect, it } from 'vitest';
import { interpolate, isolate, placeholdersOf } from '../../../renderer/i18n/translate';

describe('interpolate', () => {
  it('fills named placeholders', () => {
    expect(interpolate('{label}: {power}', { label: 'Solar', power: '3 kW' })).toBe('Solar: 3 kW');
    expect(interpolate('{n} × {n}', { n: 2 })).toBe('2 × 2');
  });

  it('leaves unknown placeholders visible and ignores extra params', () => {
    expect(interpolate('Hello {name}', { other: 'x' })).toBe('Hello {name}');
    expect(interpolate('No params')).toBe('No params');
  });

  it('does not read inherited properties as params', () => {
    expect(interpolate('{toString}', {})).toBe('{toString}');
  });
});

describe('placeholdersOf', () => {
  it('lists placeholders sorted', () => {
    expect(placeholdersOf('{b} and {a}')).toEqual(['a', 'b']);
    expect(placeholdersOf('none')).toEqual([]);
  });
});

describe('isolate', () => {
  it('wraps text in first-strong isolate and pop-directional isolate', () => {
    expect(isolate('SN-1 (A)')).toBe('\u2068SN-1 (A)\u2069');
  });
});
