#!/usr/bin/env node
// `npm start`: the Electron app when its binary is installed; otherwise one line saying so,
// then the same station headless. npm does not run Electron's download script on install
// (package.json allowScripts), so an offline `npm install` works; `npm run
// install-electron` fetches the binary where the internet is reachable.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

function ensureBuilt() {
  const built = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every(
    (f) => existsSync(join(root, f)),
  );
  if (built) return;
  const result = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function run(command, commandArgs, env = process.env) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

ensureBuilt();
const electron = electronBinary();
if (!electron) {
  console.log(
    'Electron is not installed here (`npm run install-electron` fetches it where the internet is reachable); starting the headless station instead: open the address below in a browser.',
  );
  run(process.execPath, [join(root, 'bin', 'microgrid.js'), 'serve', ...args]);
} else {
  const { nativeBindingForElectron } = await import('./electron-native.js');
  const binding = await nativeBindingForElectron(root);
  run(electron, [root, ...args], { ...process.env, MICROGRID_SQLITE_BINDING: binding });
}
