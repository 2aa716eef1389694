// Where the station keeps its state. One folder holds everything (databases, keys, PKI),
// so backing up or moving a station is copying one folder. Electron and the headless host
// resolve it the same way, so both see the same data.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const APP_FOLDER = 'microgrid-station';

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), APP_FOLDER);
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', APP_FOLDER);
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), APP_FOLDER);
}

/** `--data-dir` wins over MICROGRID_DATA_DIR, which wins over the OS default. */
export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const chosen = flag ?? env.MICROGRID_DATA_DIR;
  return chosen ? resolve(chosen) : defaultDataDir(env);
}
