import { defineConfig } from 'vitest/config';
import path from 'node:path';

// Two projects: `unit` (pure logic, next to its source) and `integration` (real PostgreSQL,
// each run in a fresh database created by tests/setup/global-db.ts).
export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'sdk/src/**/*.test.ts', 'cli/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts', 'lib/**/*.int.test.ts'],
          environment: 'node',
          globalSetup: ['tests/setup/global-db.ts'],
          setupFiles: ['tests/setup/int-env.ts'],
          // One database for the run; files run one after another so NOTIFY-driven caches and
          // the audit chain stay deterministic.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
