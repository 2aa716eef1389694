import en from '../../resources/i18n/en.json';
import ar from '../../resources/i18n/ar.json';

/** English is the reference: every key the UI may use is a key of en.json. */
export type MessageKey = keyof typeof en;
export type Dictionary = Readonly<Record<MessageKey, string>>;

export const LOCALES = ['en', 'ar'] as const;
export type Locale = (typeof LOCALES)[number];

export const DICTIONARIES: Readonly<Record<Locale, Dictionary>> = { en, ar };

export interface LocaleInfo {
  dir: 'ltr' | 'rtl';
  /** Shown in the language switch in the language itself, so anyone can find theirs. */
  nativeName: string;
  /** Tag for Intl. en-GB rather than en-US: 24-hour times and day-month dates, the
   *  common reading in the places community microgrids are built. */
  intl: string;
}

export const LOCALE_INFO: Readonly<Record<Locale, LocaleInfo>> = {
  en: { dir: 'ltr', nativeName: 'English', intl: 'en-GB' },
  ar: { dir: 'rtl', nativeName: 'العربية', intl: 'ar' },
};

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** First supported language in the browser's preference list, else English. */
export function preferredLocale(languages: readonly string[]): Locale {
  for (const tag of languages) {
    const base = tag.toLowerCase().split('-')[0];
    if (isLocale(base)) return base;
  }
  return 'en';
}
