import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/core';
import { Cleanup } from '../helpers/cleanup';
import { startCoreProcess } from '../helpers/core-process';
import { localCaseCount, localCaseNumbers, localConsistency, localDbFile, peek, serverCaseNumbers, serverCaseStats, serverMutationLog, serverTeamNumbers } from '../helpers/db-peek';
import { startFaultProxy } from '../helpers/fault-proxy';
import { start, type ServerProcess } from '../helpers/server-process';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { FaultLog } from '../helpers/fault-log';
import { caseDraft, closeWhenIdle, faultSeed, loginReady, openCore, seededRandom, syncStatus, waitSynced } from '../helpers/workstations';

/**
 * Invariants (1) view = server state + pending, (2) at most once and (4) nothing saved is lost
 * (docs/sync.md, "Invariants") when the workstation itself dies: its core runs in a child
 * process and is SIGKILLed in the middle of its work, then a core is opened on the same data
 * dir, as after a power cut or a killed app.
 */
const ROUNDS = 3;

describe('workstation core SIGKILLed', () => {
  const cleanup = new Cleanup();
  let root: string;
  let server: ServerProcess;

  beforeAll(async () => {
    root = makeTempDir('hotline-fault-client-');
    cleanup.add(() => removeDir(root));
    server = await start(0, path.join(root, 'server'));
    cleanup.add(() => server.kill());
  });

  afterAll(() => cleanup.run());

  it('mid local write loop, three times: store and outbox intact, every saved case reaches the server once', async () => {
    const seed = faultSeed();
    const random = seededRandom(seed);
    const log = new FaultLog();
    log.track('client-crash / write loop');
    log.output('server', () => server.output());
    log.note(`seed ${seed} (FAULT_SEED=${seed}), server ${server.url}, data ${root}`);
    const dir = path.join(root, 'ws-crash');
    const saved: string[] = [];
    let station = '';

    for (let round = 1; round <= ROUNDS; round += 1) {
      // Kill after a seeded number of saved cases (30..330) while the worker also pushes and pulls.
      const killAfter = 30 + Math.floor(random() * 300);
      const worker = await startCoreProcess({ serverUrl: server.url, dataDir: dir, create: 5000 });
      cleanup.add(() => worker.kill());
      log.output(`worker round ${round}`, () => worker.output());
      station ||= worker.station;
      expect(worker.station).toBe(station);
      await waitFor(() => worker.saved().length >= killAfter, 30_000, { intervalMs: 1, message: `${killAfter} cases saved` });
      await worker.kill();
      const savedNow = worker.saved();
      saved.push(...savedNow);
      log.note(
        `round ${round}: SIGKILL after ${savedNow.length} saved (${savedNow[0] ?? '-'}..${savedNow[savedNow.length - 1] ?? '-'}, aimed at ${killAfter}); server held ${serverCaseStats(server.dataDir, station).cases}`,
      );
      expect(savedNow.length, `the worker finished before the kill\n${log.text()}`).toBeLessThan(5000);

      // The store as the next opener finds it: intact, view and outbox agree, nothing saved is lost.
      const check = localConsistency(dir);
      log.note(`round ${round}: ${JSON.stringify({ ...check, pendingWithoutOutbox: check.pendingWithoutOutbox.slice(0, 5), outboxWithoutPending: check.outboxWithoutPending.slice(0, 5) })}`);
      expect(check.integrity).toBe('ok');
      expect(check.pendingWithoutOutbox).toEqual([]);
      expect(check.outboxWithoutPending).toEqual([]);
      expect(check.outboxSeqGaps).toBe(0);
      const local = new Set(localCaseNumbers(dir));
      expect(saved.filter((n) => !local.has(n))).toEqual([]);
    }

    // Committed cases whose `saved` line a kill cut off are kept too: at most one per round.
    const localOfStation = localCaseNumbers(dir).filter((n) => n.startsWith(`${station}-`));
    expect(new Set(saved).size).toBe(saved.length);
    expect(localOfStation.length - saved.length).toBeGreaterThanOrEqual(0);
    expect(localOfStation.length - saved.length).toBeLessThanOrEqual(ROUNDS);
    const mutationsMade = peek(localDbFile(dir), (db) => (db.prepare('SELECT MAX(next_seq) - 1 AS n FROM accounts').get() as { n: number }).n);
    expect(mutationsMade).toBe(localOfStation.length);

    // A core on the same dir finishes the sync: every case exactly once on the server.
    const core = openCore(dir, server.url);
    cleanup.add(() => core.close());
    await loginReady(core, 'op1');
    await waitSynced(core, 30_000, 'restarted core pending 0');
    const stats = serverCaseStats(server.dataDir, station);
    expect(stats.duplicateNumbers).toEqual([]);
    expect(stats.duplicateIds).toEqual([]);
    expect(serverCaseNumbers(server.dataDir, station)).toEqual(localOfStation);
    const mlog = serverMutationLog(server.dataDir, station);
    expect(mlog).toMatchObject({ rows: mutationsMade, applied: mutationsMade, rejected: 0, distinctIds: mutationsMade, maxSeq: mutationsMade });
    expect(await call(core, 'sync.rejections', {})).toEqual([]);
    expect(localConsistency(dir)).toMatchObject({ integrity: 'ok', pendingCases: 0, outboxRows: 0 });
    // And the restarted core goes on working: a new case gets a new number and syncs.
    const next = await call(core, 'cases.create', caseDraft(1, 'after-crash'));
    expect(localOfStation).not.toContain(next.number);
    await waitSynced(core, 10_000, 'new case synced');
    expect(serverCaseNumbers(server.dataDir, station)).toEqual([...localOfStation, next.number].sort());
    await closeWhenIdle(core);
  });

  it('mid initial pull: resumes where it stopped and ends equal to the server', async () => {
    const CASES = 5000;
    const seed = faultSeed();
    const random = seededRandom(seed);
    // Kill once the store holds at least this many cases: after the 1st, 2nd or 3rd page of 1,000.
    const killAt = 1 + Math.floor(random() * 3) * 1000;
    const log = new FaultLog();
    log.track('client-crash / initial pull');
    log.output('server', () => server.output());
    log.note(`seed ${seed} (FAULT_SEED=${seed}), kill at ${killAt} local cases, server ${server.url}, data ${root}`);

    // A team dataset made by another workstation, offline (behind a proxy in reset mode) so that
    // it is quick to make, then pushed in one go.
    const proxy = await startFaultProxy(server.port);
    cleanup.add(() => proxy.close());
    const aDir = path.join(root, 'ws-source');
    const a = openCore(aDir, proxy.url);
    cleanup.add(() => a.close());
    const { station } = await loginReady(a, 'op1');
    proxy.setMode({ kind: 'reset' });
    await waitFor(async () => !(await syncStatus(a)).online, 10_000, { message: 'source workstation offline' });
    for (let i = 1; i <= CASES; i += 1) await call(a, 'cases.create', caseDraft(i, 'initial-pull'));
    proxy.setMode({ kind: 'pass' });
    await waitSynced(a, 60_000, 'source workstation pushed its cases');
    await closeWhenIdle(a);
    expect(serverCaseNumbers(server.dataDir, station)).toHaveLength(CASES);
    // The team also holds the cases of the test before: the fresh workstation must get them all.
    const serverNumbers = serverTeamNumbers(server.dataDir, 'team-a');
    const total = serverNumbers.length;
    log.note(`server holds ${CASES} cases of ${station}, ${total} of team-a`);

    // A fresh workstation (op2, same team) starts its initial sync in a child process…
    const dir = path.join(root, 'ws-fresh');
    const worker = await startCoreProcess({ serverUrl: server.url, dataDir: dir, username: 'op2' });
    cleanup.add(() => worker.kill());
    log.output('worker', () => worker.output());
    // …and is SIGKILLed once some, not all, cases are in its store.
    const seen = await waitFor(
      () => {
        const n = localCaseCount(dir);
        return n >= killAt ? n : undefined;
      },
      30_000,
      { intervalMs: 2, message: `${killAt} cases pulled` },
    );
    await worker.kill();
    const check = localConsistency(dir);
    log.note(`SIGKILL after seeing ${seen} local cases; store holds ${check.cases}`);
    expect(check.integrity).toBe('ok');
    expect(check.cases, `the initial pull had finished before the kill\n${log.text()}`).toBeLessThan(total);
    expect(check.cases).toBeGreaterThan(0);
    expect(check.outboxRows).toBe(0);
    const before = new Set(peek(localDbFile(dir), (db) => (db.prepare('SELECT id FROM cases').all() as { id: string }[]).map((r) => r.id)));

    // A core on the same dir resumes: it never drops what it had, and does not fetch it again.
    const core = openCore(dir, server.url);
    cleanup.add(() => core.close());
    const refetched = new Set<string>();
    const delivered = new Set<string>();
    core.events.on('cases.changed', ({ ids }) => {
      for (const id of ids) (before.has(id) ? refetched : delivered).add(id);
    });
    let lowest = Number.POSITIVE_INFINITY;
    const watch = setInterval(() => {
      lowest = Math.min(lowest, localCaseCount(dir));
    }, 5);
    try {
      await call(core, 'session.login', { username: 'op2', password: 'hotline123' });
      await waitFor(() => localCaseCount(dir) === total, 30_000, { message: 'resumed pull completes' });
      await waitSynced(core, 10_000);
    } finally {
      clearInterval(watch);
    }
    log.note(`resumed: lowest local count ${lowest}, new cases delivered ${delivered.size}, cases already held delivered again ${refetched.size}`);
    expect(lowest).toBeGreaterThanOrEqual(before.size);
    expect(refetched.size, `cases pulled again after the restart\n${log.text()}`).toBe(0);
    expect(delivered.size).toBe(total - before.size);
    expect(localCaseNumbers(dir)).toEqual(serverNumbers);
    expect(localConsistency(dir)).toMatchObject({ integrity: 'ok', pendingCases: 0, outboxRows: 0 });
    await closeWhenIdle(core);
  });
});
