import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant (`npm run test:mutation`, stryker.config.mjs):
// only the fast, pure unit tests that exercise the mutated files (src/shared/domain,
// src/shared/reference/routing.ts and sla.ts): tests/unit/shared, tests/unit/reference and
// tests/unit/domain (the intake record: amend, contact, SLA by urgency). No sockets, databases or
// server processes; a mutant's run costs about a second, nearly all of it vitest starting a run.
// Stryker itself forces one worker thread per Stryker process.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/unit/shared/**/*.test.ts', 'tests/unit/reference/**/*.test.ts', 'tests/unit/domain/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
