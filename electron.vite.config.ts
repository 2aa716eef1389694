import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// One build for the three Electron bundles. The headless host (`microgrid serve`) runs
// the same station code straight from TypeScript through tsx and serves out/renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve('electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot `require` modules from disk; keep it one CommonJS file.
      rollupOptions: {
        input: { index: resolve('electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [svelte()],
    // `electron-vite dev` in a plain browser: send the API to a running `microgrid serve`.
    server: { proxy: { '/api': { target: 'http://127.0.0.1:7410', ws: true } } },
    build: {
      outDir: resolve('out/renderer'),
      emptyOutDir: true,
      // Served over the hall's Wi-Fi to tablets too: ship it small.
      minify: true,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
