// better-sqlite3 is a native module: npm builds it for Node's ABI, and Electron needs a
// build for its own ABI. Rebuilding in place would break plain Node (tests, the CLI), so
// the Electron build goes into .electron-native/<electron version>/ and the main process
// loads it through better-sqlite3's `nativeBinding` option. node-gyp is the one npm ships
// (npm exports its path as npm_config_node_gyp to scripts), the same tool
// @electron/rebuild drives; it fetches Electron's headers once, so the first run needs
// network access — like the Electron binary itself.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function nodeGypScript() {
  if (process.env.npm_config_node_gyp) return process.env.npm_config_node_gyp;
  return join(
    dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
}

export async function nativeBindingForElectron(root) {
  const electronVersion = JSON.parse(
    readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8'),
  ).version;
  const moduleDir = join(root, '.electron-native', electronVersion, 'better-sqlite3');
  const binding = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
  if (existsSync(binding)) return binding;
  console.log(
    `Building better-sqlite3 for Electron ${electronVersion} (once; downloads the Electron headers)…`,
  );
  mkdirSync(dirname(moduleDir), { recursive: true });
  cpSync(join(root, 'node_modules', 'better-sqlite3'), moduleDir, { recursive: true });
  const result = spawnSync(
    process.execPath,
    [
      nodeGypScript(),
      'rebuild',
      '--release',
      `--target=${electronVersion}`,
      '--runtime=electron',
      '--dist-url=https://electronjs.org/headers',
    ],
    { cwd: moduleDir, stdio: 'inherit' },
  );
  if (result.status !== 0 || !existsSync(binding)) {
    throw new Error(
      `could not build better-sqlite3 for Electron ${electronVersion}; run \`npm run serve\` for the headless station`,
    );
  }
  return binding;
}
