import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { startServer } from '../src/server/app';
import { createLogger } from '../src/server/log';
import { applyPush } from '../src/server/sync/push';
import { ensureClient } from '../src/server/store/clients';
import { formatCaseNumber } from '../src/shared/domain/case';
import { MAX_PUSH_BATCH } from '../src/shared/sync/protocol';
import { makeTempDir, removeDir } from '../tests/helpers/tmp';
import { makeCases, type BenchCase } from './data';
import { round } from './lib';
import { timeOrderedUuid } from '../src/shared/ids';
import { shippedReferenceSet } from '../src/server/reference/reference-set';

/**
 * The server's share of a push, without sockets or workstations: `n` createCase mutations applied
 * through applyPush in batches of MAX_PUSH_BATCH on a fresh SQLite file (synchronous=FULL), after
 * `--warmup` other cases (default 2,000).
 * `npx tsx bench/push-apply.ts --n 10000` prints one JSON line.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { n: { type: 'string', default: '10000' }, warmup: { type: 'string', default: '2000' }, json: { type: 'boolean', default: true } },
  });
  const n = Number(values.n);
  const warmup = Number(values.warmup);
  if (!Number.isInteger(n) || n < 1 || !Number.isInteger(warmup) || warmup < 0) throw new Error('--n must be a positive integer and --warmup an integer ≥ 0');
  const dir = makeTempDir('hotline-bench-apply-');
  const server = await startServer({ port: 0, dataDir: dir, logger: createLogger({}, 'error') });
  try {
    const op = await server.db.get<{ id: string }>("SELECT id FROM users WHERE username = 'op1'");
    if (!op) throw new Error('seed user missing');
    const user = { sub: op.id, role: 'operator' as const, team: 'team-a', station: 'S0001', space: 'live' as const, kind: 'access' as const, iat: 0, exp: 0 };
    const clientId = crypto.randomUUID();
    await ensureClient(server.db, clientId, user.sub, user.station);
    // Loaded before the clock starts, as a running server has it.
    const ref = shippedReferenceSet();
    let seq = 0;
    const applyAll = async (cases: readonly BenchCase[]) => {
      for (let i = 0; i < cases.length; i += MAX_PUSH_BATCH) {
        const mutations = cases.slice(i, i + MAX_PUSH_BATCH).map((c) => {
          seq += 1;
          // Time-ordered ids, as a workstation makes them (core.ts): random ones dirty a random page of
          // every id index per insert, which the product never does.
          const args = { ...c, id: timeOrderedUuid(c.createdAt), number: formatCaseNumber(user.station, seq) };
          return { clientId, seq, id: crypto.randomUUID(), name: 'createCase' as const, args, at: Date.now() };
        });
        const { response } = await applyPush(server.db, user, user.station, { clientId, mutations }, undefined, ref);
        if (!response.ok || response.outcomes.some((o) => o.status !== 'applied')) throw new Error('a mutation was not applied');
      }
    };
    // Other cases first (another seed), as bench/sync.ts does: a server that has served traffic.
    await applyAll(makeCases(warmup, 1_000_003));
    const cases = makeCases(n, 3);
    const t0 = performance.now();
    await applyAll(cases);
    const seconds = (performance.now() - t0) / 1000;
    console.log(
      JSON.stringify({ n, warmup_n: warmup, batch: MAX_PUSH_BATCH, apply_s: round(seconds), per_mutation_ms: round((seconds * 1000) / n, 4), storage: 'SQLite WAL, synchronous=FULL' }),
    );
  } finally {
    await server.close();
    removeDir(dir);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
