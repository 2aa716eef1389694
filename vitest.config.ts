import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests open real sockets and SQLite files; keep each file in its own fork.
    pool: 'forks',
    // Generous: CI runs on 2 loaded cores, and many tests spawn processes or browsers.
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
