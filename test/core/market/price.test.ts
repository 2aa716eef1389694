import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { amountMinor } from '../../../core/market/money';
import {
  formatScaled,
  midpointHalfEven,
  parseScaledDecimal,
  priceToCurrencyNumber,
} from '../../../core/market/price';
import { tariffsFromSite } from '../../../core/market/tariffs';

const micro = (v: number | string) => {
  const p = parseScaledDecimal(v);
  return p.ok ? p.micro : p.reason;
};

describe('exact prices', () => {
  it('parses numbers and decimal strings without floats', () => {
    expect(micro(0.085)).toBe(85_000);
    expect(micro('0.085')).toBe(85_000);
    expect(micro('8.5e-2')).toBe(85_000);
    expect(micro(0.1 + 0.2)).toBe('price_too_precise'); // 0.30000000000000004
    expect(micro('0.0850000')).toBe(85_000);
    expect(micro(1e-6)).toBe(1);
    expect(micro(1e-7)).toBe('price_too_precise');
    expect(micro('12')).toBe(12_000_000);
    expect(micro('-0')).toBe(0);
    expect(micro('')).toBe('price_not_a_number');
    expect(micro('.')).toBe('price_not_a_number');
    expect(micro('1e400')).toBe('price_too_large');
  });

  it('round-trips every micro price through text and JSON numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), (m) => {
        expect(micro(formatScaled(m))).toBe(m);
        expect(micro(priceToCurrencyNumber(m))).toBe(m);
        expect(JSON.stringify(priceToCurrencyNumber(m))).toBe(
          JSON.stringify(Number(formatScaled(m))),
        );
      }),
    );
    expect(formatScaled(165_000)).toBe('0.165');
    expect(formatScaled(12_000_000)).toBe('12');
  });

  it('rounds midpoints half to even, always within the two prices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        const mid = midpointHalfEven(low, high);
        expect(mid).toBeGreaterThanOrEqual(low);
        expect(mid).toBeLessThanOrEqual(high);
        expect(Math.abs(2 * mid - (low + high))).toBeLessThanOrEqual(1);
        if ((low + high) % 2 !== 0) expect(mid % 2).toBe(0);
      }),
    );
  });

  it('books money exactly, rounding half up to the minor unit', () => {
    expect(amountMinor(1000, 165_000, 2)).toBe(17); // 16.5 ct
    expect(amountMinor(1000, 164_999, 2)).toBe(16);
    expect(amountMinor(1, 1, 2)).toBe(0);
    expect(amountMinor(1000, 165_000, 0)).toBe(0);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 6 }),
        (e, p, d) => {
          const product = BigInt(e) * BigInt(p) * 10n ** BigInt(d);
          const divisor = 10n ** 9n;
          const expected = (product * 2n + divisor) / (divisor * 2n);
          expect(amountMinor(e, p, d)).toBe(Number(expected));
        },
      ),
    );
  });

  it('converts the site tariffs (minor units with 4 decimals) exactly', () => {
    const t = tariffsFromSite({
      currency: 'EUR',
      minorUnitDigits: 2,
      feedInMinorPerKWh: 8.25,
      retailMinorPerKWh: 31.2345,
      gridFeeMinorPerKWh: 2,
    });
    expect(t.ok && t.value).toEqual({
      feedInMicroPerKWh: 82_500,
      retailMicroPerKWh: 312_345,
      gridFeeMicroPerKWh: 20_000,
      minorUnitDigits: 2,
    });
  });
});
