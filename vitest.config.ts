import { defineConfig } from 'vitest/config';

// Node-runtime tests: shared, workstation core, server. Real SQLite files, real sockets, real
// server processes; PostgreSQL too when TEST_DATABASE_URL is set (scripts/pg-test-cluster.sh).
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
