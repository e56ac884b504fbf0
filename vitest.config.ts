import { defineConfig } from 'vitest/config';

// Node-runtime tests: shared, workstation core, server. Real SQLite files, real sockets, real
// server processes; PostgreSQL too when TEST_DATABASE_URL is set (scripts/pg-test-cluster.sh).
// Two projects: `unit` (tests/unit + tests/integration, files in parallel) and `faults`
// (tests/faults: crashes, restarts and a fault-injecting proxy; one file at a time, after `unit`,
// so that timing-sensitive fault tests do not starve for CPU on a 2-core machine).
export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'faults',
          include: ['tests/faults/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
