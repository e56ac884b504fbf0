import path from 'node:path';
import { WorkstationCore } from '../src/main/core/core';
import { startBenchLink } from './link';
import { makeTempDir, removeDir } from '../tests/helpers/tmp';
import { syncStatus } from '../tests/helpers/workstations';
import type { BenchCase } from './data';
import { startServerProcess } from './lib';
import { benchStoreKey, openBenchStore } from './store-key';

/**
 * Ours: workstation A creates the cases offline (its link to the server cut, bench/link.ts), then the link
 * comes back. push_s: until the server acknowledged all (A's outbox empty); converge_s: until
 * workstation B, online all along, holds all of them in its local SQLite.
 */
export async function runOursPush(
  cases: readonly BenchCase[],
  warmup: readonly BenchCase[] = [],
): Promise<{ push_s: number; converge_s: number; a_confirmed_s: number }> {
  const dir = makeTempDir('hotline-bench-ours-');
  const { url, child } = await startServerProcess(path.join(dir, 'server'));
  const link = await startBenchLink(Number(new URL(url).port));
  const a = new WorkstationCore({ dataDir: path.join(dir, 'a'), serverUrl: link.url, mode: 'browser', version: 'bench', storeKey: benchStoreKey(path.join(dir, 'a')) });
  const b = new WorkstationCore({ dataDir: path.join(dir, 'b'), serverUrl: url, mode: 'browser', version: 'bench', storeKey: benchStoreKey(path.join(dir, 'b')) });
  try {
    for (const [core, user] of [
      [a, 'op1'],
      [b, 'op2'],
    ] as const) {
      const res = await core.invoke('session.login', { username: user, password: 'hotline123' });
      if (!res.ok) throw new Error(`login ${user}: ${res.error.message}`);
    }
    // Both have finished their first pull (B is on shift, caught up, as the peer's B is before t0).
    for (const core of [a, b]) await waitUntil(() => caughtUp(core));
    const aDb = openBenchStore(path.join(dir, 'a', 'workstation.sqlite'), path.join(dir, 'a'));
    const bDb = openBenchStore(path.join(dir, 'b', 'workstation.sqlite'), path.join(dir, 'b'));
    // Acknowledged by the server = no outbox row still 'pending' (rows then wait, 'pushed', for the pull that confirms them).
    const unacked = () => (aDb.prepare("SELECT COUNT(*) AS n FROM outbox WHERE state = 'pending'").get() as { n: number }).n;
    const outbox = () => (aDb.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n;
    const countB = () => (bDb.prepare('SELECT COUNT(*) AS n FROM cases').get() as { n: number }).n;
    const offlineCreates = async (list: readonly BenchCase[]) => {
      await link.cut();
      await waitUntil(async () => !(await syncStatus(a)).online);
      for (const [i, c] of list.entries()) {
        // An operator does not type 10,000 cases without a pause: let B's socket be served meanwhile
        // (back to back, the creates never leave the event loop, and B's pings and replies wait).
        if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
        const res = await a.invoke('cases.create', {
          callerPhone: c.callerPhone,
          callerName: c.callerName,
          categoryCode: c.categoryCode,
          address: c.address,
          description: c.description,
        });
        if (!res.ok) throw new Error(`create: ${res.error.code} ${JSON.stringify(res.error.fields)}`);
      }
    };
    if (warmup.length > 0) {
      // A round before the measured one, the same way, so that the clock runs on a server and
      // workstations that have served traffic, as on a working day, not on freshly started ones.
      const start = countB();
      await offlineCreates(warmup);
      await link.restore();
      a.reconnectNow();
      await waitUntil(async () => countB() - start >= warmup.length && outbox() === 0 && (await caughtUp(a)) && (await caughtUp(b)), 120_000);
    }
    await offlineCreates(cases);
    const before = countB();
    if (unacked() !== cases.length) throw new Error(`expected ${cases.length} pending mutations on A, found ${unacked()}`);

    // B must still be caught up and idle: a catch-up pull of its own during the push is not what is measured.
    if (!(await caughtUp(b))) throw new Error(`B is not caught up before t0: ${JSON.stringify(await syncStatus(b))}`);
    const t0 = performance.now();
    await link.restore();
    a.reconnectNow();
    const marks = { push: 0, converge: 0, confirmed: 0 };
    await waitUntil(() => {
      const t = performance.now() - t0;
      if (!marks.push && unacked() === 0) marks.push = t;
      if (!marks.converge && countB() - before >= cases.length) marks.converge = t;
      if (!marks.confirmed && outbox() === 0) marks.confirmed = t;
      return Promise.resolve(marks.push > 0 && marks.converge > 0 && marks.confirmed > 0);
    }, 600_000, 20);
    aDb.close();
    bDb.close();
    return { push_s: marks.push / 1000, converge_s: marks.converge / 1000, a_confirmed_s: marks.confirmed / 1000 };
  } finally {
    await a.close();
    await b.close();
    await link.close();
    await child.stop();
    removeDir(dir);
  }
}

/** Online, done with its pulls, no error, and it has pulled at least once. */
async function caughtUp(core: WorkstationCore): Promise<boolean> {
  const status = await syncStatus(core);
  return status.online && !status.syncing && status.lastSyncAt !== null && status.error === null;
}

async function waitUntil(pred: () => Promise<boolean>, timeoutMs = 60_000, everyMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
