// The one place user-visible text comes from. `t()` reads the current locale, so any
// template or $derived that calls it re-renders when the language changes.
import { readSetting, writeSetting } from '../lib/settings-storage';
import {
  DICTIONARIES,
  LOCALE_INFO,
  isLocale,
  preferredLocale,
  type Locale,
  type MessageKey,
} from './dictionaries';
import { interpolate, type MessageParams } from './translate';

function initialLocale(): Locale {
  const stored = readSetting('locale');
  return isLocale(stored) ? stored : preferredLocale(navigator.languages);
}

let current = $state<Locale>(initialLocale());

export function t(key: MessageKey, params?: MessageParams): string {
  return interpolate(DICTIONARIES[current][key], params);
}

export function getLocale(): Locale {
  return current;
}

export function setLocale(locale: Locale): void {
  current = locale;
  writeSetting('locale', locale);
  applyLocaleToDocument();
}

/** `<html lang dir>` drive fonts, screen-reader voice and the mirrored (RTL) layout. */
export function applyLocaleToDocument(): void {
  const root = document.documentElement;
  root.lang = current;
  root.dir = LOCALE_INFO[current].dir;
}
