#!/usr/bin/env node
// `npm test`: every check the project has, in order, stopping at the first failure.
// Type checks and lint first (seconds), then the build the browser tests need, the
// Electron security scan, then all unit, integration and end-to-end tests.
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck (node side)', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  [
    'typecheck (renderer)',
    'npx',
    [
      'svelte-check',
      '--tsconfig',
      './renderer/tsconfig.json',
      '--fail-on-warnings',
      '--output',
      'human',
    ],
  ],
  ['lint', 'npx', ['eslint', '.']],
  ['format', 'npx', ['prettier', '--check', '.']],
  ['build (Electron main, preload, renderer)', 'npx', ['electron-vite', 'build']],
  // After the build: it also reads the built index.html and preload. A few seconds, offline.
  ['Electronegativity (Electron security)', 'npx', ['tsx', 'scripts/electronegativity.ts']],
  ['tests (unit, integration, browser)', 'npx', ['vitest', 'run']],
];

for (const [name, cmd, args] of steps) {
  const started = Date.now();
  console.log(`\n▶ ${name}: ${cmd} ${args.join(' ')}`);
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`✖ ${name} failed after ${seconds} s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${name} (${seconds} s)`);
}
