// 64-bit values with a negative scale factor: a number only when it leads back to the exact
// register value; near 2^53 the nearest double does not (found by the round-trip property
// test: 6372099140307309 at sf -7 read as 637209914.0307308, which wrote back ...308).
import { describe, expect, it } from 'vitest';
import { applyScale64, removeScale64 } from '../../../drivers/sunspec/scale';

describe('applyScale64', () => {
  it('gives the exact decimal where the double would not lead back to the raw value', () => {
    const raw = 6372099140307309n;
    const value = applyScale64(raw, -7);
    expect(value).toBe('637209914.0307309');
    expect(removeScale64(value, -7)).toBe(raw);
  });

  it('keeps plain numbers where they are exact', () => {
    expect(applyScale64(2301n, -1)).toBe(230.1);
    expect(applyScale64(-5n, -2)).toBe(-0.05);
    expect(removeScale64(230.1, -1)).toBe(2301n);
  });
});
