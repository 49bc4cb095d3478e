import { defineConfig } from 'vitest/config';

// The CLI (in-process and spawned) opens its encrypted desks with this password, as automation would; the
// same as tests/helpers/core.ts TEST_PASSWORD.
const env = { AID_DESK_PASSWORD: 'qingshan-2026', AID_DESK_OPERATOR: '测试' };

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/shared/**/*.test.ts', 'tests/electron/**/*.test.ts', 'tests/tools/**/*.test.ts'],
          // The SQLite driver is a native module: forks, not threads.
          pool: 'forks',
          testTimeout: 30_000,
          env,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          pool: 'forks',
          fileParallelism: false,
          env,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
