import { describe, expect, it } from 'vitest';
import type { Tariffs } from '../../../renderer/api/contract';
import {
  formatAge,
  formatMinutes,
  formatPercent,
  formatPowerW,
  formatPricePerKWh,
  formatTime,
} from '../../../renderer/i18n/format';

const NOON_UTC = Date.UTC(2026, 0, 15, 12, 0, 0);
const EUR: Tariffs = {
  currency: 'EUR',
  minorUnitDigits: 2,
  feedInMinorPerKWh: 8.03,
  retailMinorPerKWh: 32.5,
  gridFeeMinorPerKWh: 2.1,
};

describe('formatPowerW', () => {
  it('uses W below 1 kW and kW above, with the unit', () => {
    expect(formatPowerW(850, 'en')).toBe('850 W');
    expect(formatPowerW(3254, 'en')).toBe('3.25 kW');
    expect(formatPowerW(120_000, 'en')).toBe('120 kW');
  });

  it('drops the sign: direction is said in words elsewhere', () => {
    expect(formatPowerW(-1500, 'en')).toBe('1.5 kW');
  });

  it('uses the Arabic unit name in Arabic', () => {
    expect(formatPowerW(3000, 'ar')).toContain('كيلوواط');
  });
});

describe('formatTime', () => {
  it('shows the time in the site time zone, not the computer', () => {
    expect(formatTime(NOON_UTC, 'en', 'Europe/Berlin')).toBe('13:00');
    expect(formatTime(NOON_UTC, 'en', 'Africa/Nairobi')).toBe('15:00');
    expect(formatTime(NOON_UTC, 'en', 'Asia/Kolkata', true)).toBe('17:30:00');
  });

  it('falls back to the local zone for an unknown zone instead of throwing', () => {
    expect(() => formatTime(NOON_UTC, 'en', 'Not/AZone')).not.toThrow();
  });
});

describe('other formats', () => {
  it('formats percent, minutes and ages', () => {
    expect(formatPercent(64.4, 'en')).toBe('64%');
    expect(formatMinutes(15, 'en')).toBe('15 minutes');
    expect(formatAge(5_000, 'en')).toBe('5 seconds ago');
    expect(formatAge(180_000, 'en')).toBe('3 minutes ago');
    expect(formatAge(200, 'en')).toBe('now');
  });

  it('formats tariffs in minor units as money per kWh', () => {
    expect(formatPricePerKWh(EUR.feedInMinorPerKWh, EUR, 'en')).toBe('€0.0803 per kWh');
    expect(formatPricePerKWh(EUR.retailMinorPerKWh, EUR, 'en')).toBe('€0.325 per kWh');
  });

  it('still shows a price for an unknown currency code', () => {
    const odd = { ...EUR, currency: 'not-a-code' };
    expect(formatPricePerKWh(10, odd, 'en')).toContain('not-a-code');
  });
});
