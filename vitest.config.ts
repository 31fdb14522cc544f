import { defineConfig } from 'vitest/config';

// Two projects: fast tests beside the code and under test/ (parallel), and
// integration tests that start their own redis-server and worker processes
// (serial, so two suites never fight over the 2 cores or over ports).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [
            'test/integration/**',
            'test/browser/**',
            'test/contract/**',
            'node_modules/**',
            'force-app/**',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.int.test.ts', 'test/contract/**/*.test.ts'],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
