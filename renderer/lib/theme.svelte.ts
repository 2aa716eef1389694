// Light/dark theme: follows the system unless the user picked one. The resolved theme is
// always written to <html data-theme>, so CSS and the chart read one source of truth.
import { readSetting, writeSetting } from './settings-storage';

export type ThemePreference = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

function storedPreference(): ThemePreference {
  const value = readSetting('theme');
  return value === 'light' || value === 'dark' ? value : 'system';
}

let preference = $state<ThemePreference>(storedPreference());
let systemDark = $state(darkQuery.matches);

darkQuery.addEventListener('change', (event) => {
  systemDark = event.matches;
  applyThemeToDocument();
});

export function themePreference(): ThemePreference {
  return preference;
}

export function resolvedTheme(): Theme {
  if (preference === 'system') return systemDark ? 'dark' : 'light';
  return preference;
}

export function setThemePreference(value: ThemePreference): void {
  preference = value;
  writeSetting('theme', value);
  applyThemeToDocument();
}

export function applyThemeToDocument(): void {
  document.documentElement.dataset.theme = resolvedTheme();
}
