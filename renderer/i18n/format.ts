// Numbers, times and money through Intl, for an explicit locale and the site's time zone.
// Pure functions (no reactive state), so they are unit-tested in Node.
import type { Tariffs } from '../api/contract';
import { DICTIONARIES, LOCALE_INFO, type Locale } from './dictionaries';
import { interpolate } from './translate';

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

function numberFormat(locale: Locale, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(LOCALE_INFO[locale].intl, options);
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(
  locale: Locale,
  timeZone: string | undefined,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone ?? ''}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(LOCALE_INFO[locale].intl, { ...options, timeZone });
    } catch {
      // An unknown zone in the site file must not blank the UI: fall back to the PC's zone.
      format = new Intl.DateTimeFormat(LOCALE_INFO[locale].intl, options);
    }
    dateFormats.set(key, format);
  }
  return format;
}

export function formatNumber(value: number, locale: Locale, maxFractionDigits = 0): string {
  return numberFormat(locale, { maximumFractionDigits: maxFractionDigits }).format(value);
}

/**
 * Power magnitude with unit: "850 W", "3.25 kW". The sign is dropped: callers say the
 * direction in words ("Exporting"), because a minus sign is easy to miss.
 */
export function formatPowerW(powerW: number, locale: Locale): string {
  const magnitude = Math.abs(powerW);
  const dictionary = DICTIONARIES[locale];
  if (magnitude < 1000) {
    return interpolate(dictionary['unit.W'], {
      value: formatNumber(Math.round(magnitude), locale),
    });
  }
  const kW = magnitude / 1000;
  return interpolate(dictionary['unit.kW'], {
    value: formatNumber(kW, locale, kW < 100 ? 2 : 1),
  });
}

export function formatPercent(pct: number, locale: Locale): string {
  return numberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(pct / 100);
}

export function formatMilliseconds(ms: number, locale: Locale): string {
  return numberFormat(locale, {
    style: 'unit',
    unit: 'millisecond',
    unitDisplay: 'short',
    maximumFractionDigits: 0,
  }).format(ms);
}

export function formatMinutes(minutes: number, locale: Locale): string {
  return numberFormat(locale, { style: 'unit', unit: 'minute', unitDisplay: 'long' }).format(
    minutes,
  );
}

export function formatTime(
  tsMs: number,
  locale: Locale,
  timeZone: string | undefined,
  withSeconds = false,
): string {
  const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' };
  if (withSeconds) options.second = '2-digit';
  return dateFormat(locale, timeZone, options).format(tsMs);
}

export function formatDateTime(tsMs: number, locale: Locale, timeZone: string | undefined): string {
  return dateFormat(locale, timeZone, { dateStyle: 'medium', timeStyle: 'medium' }).format(tsMs);
}

/** "5 seconds ago", "3 minutes ago"; ages below one second read as "now". */
export function formatAge(ageMs: number, locale: Locale): string {
  let format = relativeFormats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(LOCALE_INFO[locale].intl, { numeric: 'auto' });
    relativeFormats.set(locale, format);
  }
  const seconds = Math.max(0, Math.round(ageMs / 1000));
  if (seconds < 60) return format.format(-seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return format.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 48) return format.format(-hours, 'hour');
  return format.format(-Math.round(hours / 24), 'day');
}

/**
 * A tariff in minor units per kWh as money per kWh: 8.25 ct/kWh in EUR reads
 * "€0.0825 per kWh". Tariffs may carry four decimals beyond the minor unit.
 */
export function formatPricePerKWh(minorPerKWh: number, tariffs: Tariffs, locale: Locale): string {
  const major = minorPerKWh / 10 ** tariffs.minorUnitDigits;
  let price: string;
  try {
    price = numberFormat(locale, {
      style: 'currency',
      currency: tariffs.currency,
      minimumFractionDigits: tariffs.minorUnitDigits,
      maximumFractionDigits: tariffs.minorUnitDigits + 4,
    }).format(major);
  } catch {
    price = `${formatNumber(major, locale, tariffs.minorUnitDigits + 4)} ${tariffs.currency}`;
  }
  return interpolate(DICTIONARIES[locale]['unit.perKWh'], { price });
}

/** An amount in minor units as money: 1234 cents → "€12.34". */
export function formatMoneyMinor(
  minor: number,
  currency: string,
  minorUnitDigits: number,
  locale: Locale,
): string {
  const major = minor / 10 ** minorUnitDigits;
  try {
    return numberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: minorUnitDigits,
      maximumFractionDigits: minorUnitDigits,
    }).format(major);
  } catch {
    return `${formatNumber(major, locale, minorUnitDigits)} ${currency}`;
  }
}

/**
 * A market price (micro-currency per kWh, exact) as money per kWh with the decimals it
 * has, at least the currency's own: 185_000 µEUR → "€0.185".
 */
export function formatMicroPrice(micro: number, currency: string, locale: Locale): string {
  const major = micro / 1_000_000;
  try {
    return numberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: 2,
      maximumFractionDigits: 6,
    }).format(major);
  } catch {
    return `${formatNumber(major, locale, 6)} ${currency}`;
  }
}

/** Energy in Wh as kWh with up to three decimals: 1500 → "1.5 kWh". */
export function formatEnergyWh(wh: number, locale: Locale): string {
  return `${formatNumber(wh / 1000, locale, 3)} kWh`;
}
