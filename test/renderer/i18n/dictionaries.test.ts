import { describe, expect, it } from 'vitest';
import en from '../../../resources/i18n/en.json';
import ar from '../../../resources/i18n/ar.json';
import { preferredLocale } from '../../../renderer/i18n/dictionaries';
import { placeholdersOf } from '../../../renderer/i18n/translate';

const dictionaries: Record<string, Record<string, string>> = { en, ar };
const ARABIC_LETTER = /[\u0600-\u06FF]/;
/** Keys that hold only placeholders and punctuation, identical in every language. */
const FORMAT_ONLY = new Set([
  'app.documentTitle',
  'chart.tooltip',
  'devices.action.named',
  'opcua.securityOption',
  'opcua.value',
  'opcua.writeBody',
]);

describe('translation dictionaries', () => {
  it('have exactly the same keys', () => {
    expect(Object.keys(ar).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en))('%s has the same placeholders in every language', (key) => {
    const expected = placeholdersOf(dictionaries.en?.[key] ?? '');
    for (const [locale, dictionary] of Object.entries(dictionaries)) {
      expect(placeholdersOf(dictionary[key] ?? ''), `${locale}: ${key}`).toEqual(expected);
    }
  });

  it('have no empty messages', () => {
    for (const [locale, dictionary] of Object.entries(dictionaries)) {
      for (const [key, message] of Object.entries(dictionary)) {
        expect(message.trim(), `${locale}: ${key}`).not.toBe('');
      }
    }
  });

  it('translate every message with words into Arabic script', () => {
    const untranslated = Object.entries(ar)
      .filter(([key]) => !FORMAT_ONLY.has(key))
      .filter(([, message]) => !ARABIC_LETTER.test(message))
      .map(([key]) => key);
    expect(untranslated).toEqual([]);
  });
});

describe('preferredLocale', () => {
  it('takes the first supported language of the browser list', () => {
    expect(preferredLocale(['fr-FR', 'ar-EG', 'en'])).toBe('ar');
    expect(preferredLocale(['en-GB', 'ar'])).toBe('en');
    expect(preferredLocale(['de'])).toBe('en');
    expect(preferredLocale([])).toBe('en');
  });
});
