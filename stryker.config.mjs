// @ts-check
// Mutation testing (`npm run test:mutation`; `-- --json` for one JSON line). Not part of `npm test`:
// it takes minutes. scripts/mutation-report.ts runs Stryker and summarises reports/mutation/mutation.json.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: false },
  // Each test records which mutants it reaches, so a mutant runs only the tests that cover it.
  coverageAnalysis: 'perTest',
  // Static mutants (code run only while a module loads: the zod schemas, constant tables) need the
  // whole test set reloaded for each one, ~30x the cost of the rest; `npm run test:mutation --
  // --static` (MUTATION_STATIC=1) includes them, the default run leaves them out (status Ignored).
  ignoreStatic: process.env.MUTATION_STATIC !== '1',
  mutate: [
    'src/shared/domain/**/*.ts',
    'src/shared/reference/routing.ts',
    'src/shared/reference/sla.ts',
    // TODO: the server's mutators (src/server/sync/mutators.ts, src/server/lifecycle/steps.ts) are
    // to be added here once their refactoring has landed, with the tests that exercise them.
  ],
  concurrency: 2,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  // Below 80 Stryker (and so `npm run test:mutation`) exits non-zero.
  thresholds: { high: 90, low: 80, break: 80 },
  timeoutMS: 10_000,
};

export default config;
