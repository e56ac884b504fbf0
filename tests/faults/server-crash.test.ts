import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pushedSeqs, pushOutcomes, tapAcks } from '../helpers/ack-tap';
import { call } from '../helpers/core';
import { Cleanup } from '../helpers/cleanup';
import { localCaseNumbers, serverCaseCount, serverCaseNumbers, serverCaseStats, serverDbFile, serverMutationLog, writerBusy } from '../helpers/db-peek';
import { startFaultProxy } from '../helpers/fault-proxy';
import { start, type ServerProcess } from '../helpers/server-process';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { waitFor } from '../helpers/wait';
import { FaultLog } from '../helpers/fault-log';
import { caseDraft, closeWhenIdle, loginReady, openCore, syncStatus, waitSynced } from '../helpers/workstations';

const CASES = 600;

/**
 * Invariants (2) at most once and (4) nothing saved is lost (docs/sync.md, "Invariants") under
 * server crashes. Workstation A makes 600 cases while the server is down; the server comes back
 * and is SIGKILLed twice while A pushes its outbox in batches (each one transaction), and
 * restarted on the same port and data:
 * - crash 1 comes while the server is applying the first batch: its write transaction is open
 *   (a probe `BEGIN IMMEDIATE` on the server's SQLite file finds the lock taken). SQLite recovery
 *   must leave the batch entirely absent (or, if it committed in the microseconds between probe
 *   and kill, entirely present), never half;
 * - crash 2 comes after the server committed a batch and before A got its acknowledgement (A
 *   talks to the server through the fault proxy, whose way back goes dark while that batch is
 *   pushed): A must resend the batch, and the server must answer `duplicate`.
 * At quiescence the server holds each case exactly once, its mutation log shows 600 applied
 * mutations and nothing else, A has nothing pending, and B (same team) holds all 600.
 */
describe('server SIGKILLed mid push', () => {
  const cleanup = new Cleanup();
  afterAll(() => cleanup.run());

  it('600 offline cases arrive exactly once through two server crashes', async () => {
    const log = new FaultLog();
    log.track('server-crash');
    const root = makeTempDir('hotline-fault-server-');
    cleanup.add(() => removeDir(root));
    const serverData = path.join(root, 'server');
    let server: ServerProcess = await start(0, serverData);
    const port = server.port;
    const earlier: string[] = [];
    cleanup.add(() => server.kill());
    log.output('server (current run)', () => server.output());
    log.output('server (earlier runs)', () => earlier.join('\n--- next run ---\n'));
    const proxy = await startFaultProxy(port);
    cleanup.add(() => proxy.close());
    log.note(`server port ${port}, proxy port ${proxy.port}, data ${root}`);

    const tap = tapAcks();
    cleanup.add(() => tap.restore());
    const aDir = path.join(root, 'ws-a');
    const a = openCore(aDir, proxy.url);
    cleanup.add(() => a.close());
    const { station } = await loginReady(a, 'op1');
    log.note(`workstation A station ${station}`);
    a.events.on('sync.status', (s) => log.note(`A status online=${s.online} pending=${s.pending} syncing=${s.syncing} error=${s.error ?? ''}`));

    // The server goes away; the operator goes on taking calls.
    expect(await server.stop('SIGTERM')).toBe(0);
    earlier.push(server.output());
    await waitFor(async () => !(await syncStatus(a)).online, 10_000, { message: 'A sees the server gone' });
    const created: string[] = [];
    for (let i = 1; i <= CASES; i += 1) created.push((await call(a, 'cases.create', caseDraft(i, 'server-crash'))).number);
    const expected = [...created].sort();
    expect(new Set(created).size).toBe(CASES);
    expect(await syncStatus(a)).toMatchObject({ online: false, pending: CASES });
    log.note(`created ${CASES} cases offline: ${created[0] ?? ''} .. ${created[CASES - 1] ?? ''}`);

    const crash = async (label: string) => {
      await server.kill();
      earlier.push(server.output());
      const committed = serverCaseCount(serverData, station);
      log.note(`SIGKILL (${label}): ${committed} cases committed`);
      return committed;
    };

    // Crash 1: while the server is applying the first batch (its write transaction is open).
    server = await start(port, serverData);
    const restartedAt = Date.now();
    log.note(`restart 1 (pid ${server.pid})`);
    let probes = 0;
    const batch = await waitFor(
      () => {
        const sent = tap.records.find((r) => r.event === 'push' && r.sentAt >= restartedAt && pushedSeqs(r)[0] === 1);
        if (!sent) return undefined;
        probes += 1;
        return writerBusy(serverDbFile(serverData)) ? sent : undefined;
      },
      30_000,
      { intervalMs: 1, message: 'the server applying the first batch' },
    );
    const batchSize = pushedSeqs(batch).length;
    log.note(`push #${batch.n} of ${batchSize} mutations in the server's hands, write lock held (probe ${probes})`);
    const afterCrash1 = await crash('mid transaction');
    // A batch is one transaction: after the crash it is there entirely or not at all.
    expect([0, batchSize], `a batch was half committed\n${log.text()}`).toContain(afterCrash1);

    // Crash 2: after the server committed a batch, before A got the ack. The way back is dark
    // from the moment A sends the batch, so the ack cannot slip through before the crash.
    let armed = true;
    tap.onSend((r) => {
      if (!armed || r.event !== 'push' || (pushedSeqs(r)[0] ?? 0) <= afterCrash1) return;
      armed = false;
      proxy.setMode({ kind: 'blackhole', direction: 'down' });
      log.note(`push #${r.n} of seqs ${pushedSeqs(r)[0] ?? '?'}.. sent; blackhole down`);
    });
    server = await start(port, serverData);
    log.note(`restart 2 (pid ${server.pid})`);
    await waitFor(() => serverCaseCount(serverData, station) > afterCrash1, 30_000, { intervalMs: 2, message: `server count above ${afterCrash1}` });
    const afterCrash2 = await crash('batch committed, ack not delivered');
    proxy.setMode({ kind: 'pass' });
    expect(afterCrash2, `crash 2 came too late to hit a push in progress\n${log.text()}`).toBeLessThan(CASES);

    server = await start(port, serverData);
    log.note(`final restart (pid ${server.pid})`);
    await waitSynced(a, 40_000, 'A pending 0 after the crashes');
    log.note('A has nothing pending');

    // The fault was real: the batch whose ack died with crash 1 was sent again and answered duplicate.
    const outcomes = pushOutcomes(tap);
    const duplicates = outcomes.filter((o) => o.status === 'duplicate').map((o) => o.seq);
    log.note(`push outcomes: ${outcomes.length}, duplicates: ${duplicates.length} (seqs ${duplicates[0] ?? '-'}..${duplicates[duplicates.length - 1] ?? '-'})`);
    expect(duplicates.length, `no resent batch was answered duplicate: crash 2 did not catch an ack in flight\n${log.text()}`).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);

    // Exactly once: each number once on the server, 600 applied mutations, no other log rows.
    const stats = serverCaseStats(serverData, station);
    expect(stats.duplicateNumbers).toEqual([]);
    expect(stats.duplicateIds).toEqual([]);
    expect(stats.cases).toBe(CASES);
    expect(serverCaseNumbers(serverData, station)).toEqual(expected);
    const mlog = serverMutationLog(serverData, station);
    expect(mlog.clientIds).toHaveLength(1);
    expect(mlog).toMatchObject({ rows: CASES, applied: CASES, rejected: 0, distinctIds: CASES, distinctSeqs: CASES, maxSeq: CASES });
    expect(await call(a, 'sync.rejections', {})).toEqual([]);

    // A's own view: every case confirmed.
    expect(localCaseNumbers(aDir)).toEqual(expected);
    expect((await call(a, 'cases.list', { scope: 'mine', limit: 500 })).every((c) => !c.pending)).toBe(true);

    // B, same team, pulls them all. cases.list returns at most 500, so the full set is read from
    // B's store; the list itself must show confirmed cases of A's station.
    const bDir = path.join(root, 'ws-b');
    const b = openCore(bDir, server.url);
    cleanup.add(() => b.close());
    await loginReady(b, 'op2');
    await waitFor(() => localCaseNumbers(bDir).length === CASES, 30_000, { message: 'B holds all 600' });
    expect(localCaseNumbers(bDir)).toEqual(expected);
    const teamOnB = await call(b, 'cases.list', { scope: 'team', limit: 500 });
    expect(teamOnB).toHaveLength(500);
    expect(teamOnB.every((c) => c.number.startsWith(`${station}-`) && !c.pending)).toBe(true);
    log.note('B holds all cases');

    await closeWhenIdle(b);
    await closeWhenIdle(a);
    expect(await server.stop()).toBe(0);
  });
});
