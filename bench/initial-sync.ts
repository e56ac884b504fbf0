import path from 'node:path';
import { openDatabase } from '../src/server/db/open';
import { ChangeRecorder } from '../src/server/store/changes';
import { insertCase } from '../src/server/store/cases';
import { freshLifecycle } from '../src/shared/domain/case';
import { makeTempDir, removeDir } from '../tests/helpers/tmp';
import { generateCases } from './data';
import { spawnTsx, startServerProcess } from './lib';
import { openBenchStore } from './store-key';

/**
 * A fresh workstation's initial sync of `n` team cases: the server is loaded through its own store
 * layer (not timed), then a workstation process logs in and pulls everything in pages.
 */
export async function runInitialSync(n: number): Promise<{ initial_sync_s: number; initial_sync_peak_rss_mb: number; local_count: number }> {
  const dir = makeTempDir('hotline-bench-initial-');
  const serverDir = path.join(dir, 'server');
  // First start creates the schema and the seed users; then load n cases while it is down.
  let server = await startServerProcess(serverDir);
  await server.child.stop();
  const db = openDatabase({ dataDir: serverDir });
  const op1 = await db.get<{ id: string }>("SELECT id FROM users WHERE username = 'op1'");
  if (!op1) throw new Error('seed user missing');
  const gen = generateCases(n, 7);
  for (let done = 0; done < n; ) {
    await db.tx(async (q) => {
      const rec = new ChangeRecorder(q);
      for (let i = 0; i < 5000 && done < n; i += 1, done += 1) {
        const next = gen.next();
        if (next.done) break;
        const c = next.value;
        await insertCase(
          q,
          rec,
          {
            ...freshLifecycle(),
            ...c,
            status: 'registered',
            channel: 'phone',
            createdBy: op1.id,
            team: 'team-a',
            station: 'S0001',
            updatedAt: c.createdAt,
            assignee: op1.id,
            rev: 1,
            slaClass: 'general',
            timeline: [{ at: c.createdAt, kind: 'registered', actor: op1.id, actorKind: 'staff', station: 'S0001', note: null, data: { channel: 'phone' } }],
          },
        );
      }
      await rec.finish();
    });
  }
  await db.close();
  server = await startServerProcess(serverDir);
  const wsDir = path.join(dir, 'ws');
  try {
    const child = spawnTsx('bench/initial-sync-child.ts', [server.url, wsDir, String(n)]);
    const m = await child.waitFor(/^\{.*"initial_sync_s".*\}$/, 600_000);
    const result = JSON.parse(m[0]) as { initial_sync_s: number; initial_sync_peak_rss_mb: number };
    await child.stop();
    const local = openBenchStore(path.join(wsDir, 'workstation.sqlite'), wsDir);
    const localCount = (local.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;
    local.close();
    if (localCount !== n) throw new Error(`initial sync incomplete: ${localCount} of ${n}`);
    return { ...result, local_count: localCount };
  } finally {
    await server.child.stop();
    removeDir(dir);
  }
}
