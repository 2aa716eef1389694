// UI preferences kept in localStorage. public/boot.js reads the same keys before the
// first paint (to avoid a flash of the wrong theme or direction); keep the two in step.
export const SETTING_KEYS = {
  locale: 'microgrid-station.locale',
  theme: 'microgrid-station.theme',
} as const;

export type SettingName = keyof typeof SETTING_KEYS;

export function readSetting(name: SettingName): string | null {
  try {
    return localStorage.getItem(SETTING_KEYS[name]);
  } catch {
    // Storage can be disabled (private windows, locked-down kiosks): use defaults.
    return null;
  }
}

export function writeSetting(name: SettingName, value: string): void {
  try {
    localStorage.setItem(SETTING_KEYS[name], value);
  } catch {
    // Not persisted; the choice still holds for this session.
  }
}
