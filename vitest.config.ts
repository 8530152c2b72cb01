import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/src/**/*.test.ts', '**/test/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'var/**'],
    // Integration tests share the machine's PostgreSQL and Mosquitto; files run one at a time.
    fileParallelism: false,
    testTimeout: 60_000,
    setupFiles: ['test/fast-check-setup.ts'],
    hookTimeout: 120_000,
  },
});
