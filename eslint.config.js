import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

// Do not relax these rules: they keep the layers of the station apart (CONVENTIONS.md).
// core/     pure domain logic: no I/O libraries, no outer layers
// drivers/  wire protocols and simulators: no markets, no UI, no Electron
// renderer/ the UI: talks to the station only through core/api (types), never to Node
// electron/ composition root and hosts: only main*/preload* import `electron`
const nodeBuiltins = [
  'fs',
  'net',
  'http',
  'child_process',
  'os',
  'path',
  'crypto',
  'worker_threads',
];

const restrict = (patterns, paths = []) => ({
  'no-restricted-imports': ['error', { patterns, paths }],
});

export default tseslint.config(
  { ignores: ['out/**', 'node_modules/**', 'coverage/**', 'test-results/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] },
    },
  },
  {
    // Tests break valid objects on purpose to check validation; `any` says so briefly.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['core/**/*.ts'],
    rules: restrict([
      {
        group: ['electron', 'modbus-serial', 'node-opcua', 'serialport', 'ws'],
        message: 'core/ is pure domain logic.',
      },
      {
        group: ['**/drivers/**', '**/electron/**', '**/renderer/**'],
        message: 'core/ must not import outer layers.',
      },
    ]),
  },
  {
    // Storage sits behind a port: only the named adapter may import better-sqlite3.
    files: ['core/**/*.ts'],
    ignores: ['core/storage/sqlite-adapter.ts'],
    rules: restrict([
      {
        group: ['electron', 'modbus-serial', 'node-opcua', 'serialport', 'ws', 'better-sqlite3'],
        message: 'core/ is pure domain logic; SQLite goes through core/storage/sql-port.ts.',
      },
      {
        group: ['**/drivers/**', '**/electron/**', '**/renderer/**'],
        message: 'core/ must not import outer layers.',
      },
    ]),
  },
  {
    files: ['drivers/**/*.ts'],
    rules: restrict([
      {
        group: ['electron', 'better-sqlite3'],
        message: 'drivers/ turn protocols into points; storage and Electron live elsewhere.',
      },
      {
        group: ['**/electron/**', '**/renderer/**', '**/core/market/**', '**/core/ledger/**'],
        message: 'drivers/ know nothing of markets, ledger or UI.',
      },
    ]),
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.svelte'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...restrict([
        {
          group: [
            'electron',
            'better-sqlite3',
            'modbus-serial',
            'node-opcua',
            'ws',
            'node:*',
            ...nodeBuiltins,
          ],
          message: 'The renderer never talks to Node.',
        },
        {
          group: ['**/drivers/**', '**/electron/**'],
          message: 'The renderer talks to the station only through core/api.',
        },
        // gitignore-style patterns: a file is re-included only if its folder is too.
        {
          group: [
            '**/core/**',
            '!**/core/api',
            '!**/core/api/*',
            '!**/core/site',
            '!**/core/site/site-types',
            '!**/core/points',
            '!**/core/points/*',
          ],
          message: 'Only the API contract (types) may be imported from core/.',
        },
      ]),
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Two pure modules of the contract are values: who may call what, so the UI
              // offers what the station will allow without a copy that could drift.
              regex: '(^|/)core/(?!api/(api-permissions|auth-roles)$)',
              allowTypeImports: true,
              message: 'Import the API contract with `import type`.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    ignores: ['electron/main*.ts', 'electron/preload*.ts'],
    rules: restrict([
      {
        group: ['electron'],
        message:
          'Only electron/main* and electron/preload* import electron; the rest runs under plain Node.',
      },
    ]),
  },
);
