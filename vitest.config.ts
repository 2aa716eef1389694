import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests open real sockets and SQLite files; keep each file in its own fork.
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
