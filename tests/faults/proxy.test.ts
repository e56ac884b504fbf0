import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkstationCore } from '../../src/main/core/core';
import { pushOutcomes, tapAcks, type AckTap } from '../helpers/ack-tap';
import { call } from '../helpers/core';
import { Cleanup } from '../helpers/cleanup';
import { localCaseNumbers, serverCaseCount, serverCaseNumbers, serverCaseStats, serverMutationLog } from '../helpers/db-peek';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { FaultLog } from '../helpers/fault-log';
import { start, type ServerProcess } from '../helpers/server-process';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { sleep, waitFor } from '../helpers/wait';
import { caseDraft, closeWhenIdle, loginReady, openCore, waitSynced } from '../helpers/workstations';

/**
 * Workstation ↔ fault proxy ↔ server: lost acknowledgements, latency, resets and a half-open
 * connection. After each fault the workstations converge with the server (invariant 3) and
 * every case took effect on the server exactly once (invariant 2).
 */
describe('sync through a faulty network', () => {
  const cleanup = new Cleanup();
  let root: string;
  /** Pings every 60 s: a connection stays up while acknowledgements alone are lost. */
  let calm: ServerProcess;
  /** Pings every second, 2 s to answer: a silently dead connection is noticed within ~3 s. */
  let brisk: ServerProcess;
  let tap: AckTap;

  beforeAll(async () => {
    root = makeTempDir('hotline-fault-proxy-');
    cleanup.add(() => removeDir(root));
    calm = await start(0, path.join(root, 'calm'), { env: { HOTLINE_PING_INTERVAL_MS: '60000', HOTLINE_PING_TIMEOUT_MS: '60000' } });
    cleanup.add(() => calm.kill());
    brisk = await start(0, path.join(root, 'brisk'), { env: { HOTLINE_PING_INTERVAL_MS: '1000', HOTLINE_PING_TIMEOUT_MS: '2000' } });
    cleanup.add(() => brisk.kill());
    tap = tapAcks();
    cleanup.add(() => tap.restore());
  });

  afterAll(() => cleanup.run());

  interface Rig {
    log: FaultLog;
    proxy: FaultProxy;
    workstation: (name: string, username?: string) => Promise<{ core: WorkstationCore; dir: string; station: string }>;
  }

  /** A proxy in front of `server`, workstations behind it, and the story printed on failure. */
  const rig = async (title: string, server: ServerProcess): Promise<Rig> => {
    const log = new FaultLog();
    log.track(title);
    log.output('server', () => server.output());
    const proxy = await startFaultProxy(server.port);
    // Bounded: after half-open, the proxy still holds the client's old socket, which the
    // workstation's WebSocket only gives up after its 30 s closing handshake timeout, and the
    // proxy's close() waits for it (reported: fault-proxy.ts should destroy such sockets).
    cleanup.add(() => proxy.close());
    log.note(`server port ${server.port}, proxy port ${proxy.port}, data ${root}`);
    return {
      log,
      proxy,
      workstation: async (name, username = 'op1') => {
        const dir = path.join(root, name);
        const core = openCore(dir, proxy.url, 3000);
        cleanup.add(() => core.close());
        const { station } = await loginReady(core, username);
        core.events.on('sync.status', (s) => log.note(`${name} status online=${s.online} pending=${s.pending} syncing=${s.syncing} error=${s.error ?? ''}`));
        log.note(`${name}: ${username} at station ${station}`);
        return { core, dir, station };
      },
    };
  };

  /** Exactly once on the server, and the workstation's store equal to it, nothing pending. */
  const expectExactlyOnce = async (server: ServerProcess, ws: { core: WorkstationCore; dir: string; station: string }, created: string[]) => {
    const expected = [...created].sort();
    const stats = serverCaseStats(server.dataDir, ws.station);
    expect(stats.duplicateNumbers).toEqual([]);
    expect(stats.duplicateIds).toEqual([]);
    expect(serverCaseNumbers(server.dataDir, ws.station)).toEqual(expected);
    const n = created.length;
    expect(serverMutationLog(server.dataDir, ws.station)).toMatchObject({ rows: n, applied: n, rejected: 0, distinctIds: n, maxSeq: n });
    expect(localCaseNumbers(ws.dir).filter((c) => c.startsWith(`${ws.station}-`))).toEqual(expected);
    expect((await call(ws.core, 'cases.list', { scope: 'mine', limit: 500 })).filter((c) => c.pending)).toEqual([]);
    expect(await call(ws.core, 'sync.rejections', {})).toEqual([]);
  };

  it('(a) a lost acknowledgement: the push times out, is sent again and answered duplicate', async () => {
    const { log, proxy, workstation } = await rig('proxy (a) ack dropped', calm);
    const a = await workstation('a-ack');
    const firstRecord = tap.records.length;
    // The moment A sends its push, the way back goes dark: the server applies it, the ack is lost.
    let armed = true;
    tap.onSend((r) => {
      if (!armed || r.event !== 'push') return;
      armed = false;
      proxy.setMode({ kind: 'blackhole', direction: 'down' });
      log.note(`push #${r.n} sent; blackhole down`);
    });
    const created = await call(a.core, 'cases.create', caseDraft(1, 'ack-lost'));
    await waitFor(() => serverCaseCount(calm.dataDir, a.station) === 1, 10_000, { intervalMs: 5, message: 'server applied the push' });
    log.note('server applied the push');
    // The way back stays dark until A gives up waiting (a switch earlier could let the ack through).
    const lost = await waitFor(() => tap.records.slice(firstRecord).find((r) => r.event === 'push' && r.settledAt !== undefined), 30_000, {
      message: 'the first push settles',
    });
    proxy.setMode({ kind: 'pass' });
    log.note(`push #${lost.n} settled after ${(lost.settledAt ?? 0) - lost.sentAt} ms: ${lost.error ?? JSON.stringify(lost.response)}; proxy passes again`);
    expect(lost.error, `the first push should have timed out\n${log.text()}`).toMatch(/timed out/);

    await waitFor(() => pushOutcomes(tap).some((o) => o.status === 'duplicate'), 15_000, { message: 'resent push answered duplicate' });
    const pushes = tap.records.slice(firstRecord).filter((r) => r.event === 'push');
    log.note(`pushes: ${JSON.stringify(pushes.map((p) => ({ n: p.n, after: (p.settledAt ?? 0) - p.sentAt, error: p.error, response: p.response })))}`);
    expect(pushes).toHaveLength(2);
    expect(pushes[1]?.response).toMatchObject({ ok: true, outcomes: [{ seq: 1, status: 'duplicate' }] });
    await waitSynced(a.core, 10_000);
    await expectExactlyOnce(calm, a, [created.number]);
    await closeWhenIdle(a.core);
  });

  it('(b) 300 ms latency both ways: 20 cases converge on two workstations', async () => {
    const { log, proxy, workstation } = await rig('proxy (b) latency', calm);
    const a = await workstation('b-a');
    const b = await workstation('b-b', 'op2');
    proxy.setMode({ kind: 'latency', ms: 300 });
    const t0 = Date.now();
    const created: string[] = [];
    for (let i = 1; i <= 20; i += 1) {
      created.push((await call(a.core, 'cases.create', caseDraft(i, 'latency'))).number);
      await sleep(20);
    }
    await waitSynced(a.core, 30_000, 'A synced under latency');
    await waitFor(async () => (await call(b.core, 'cases.list', { scope: 'team', limit: 500 })).filter((c) => created.includes(c.number)).length === 20, 30_000, {
      message: 'B holds all 20',
    });
    log.note(`converged under 300 ms latency in ${Date.now() - t0} ms`);
    await expectExactlyOnce(calm, a, created);
    expect(localCaseNumbers(b.dir).filter((n) => n.startsWith(`${a.station}-`))).toEqual([...created].sort());
    proxy.setMode({ kind: 'pass' });
    await closeWhenIdle(b.core);
    await closeWhenIdle(a.core);
  });

  it('(c) connections reset mid-sync, twice: 400 cases converge exactly once', async () => {
    const { log, proxy, workstation } = await rig('proxy (c) reset', brisk);
    const a = await workstation('c-a');
    const b = await workstation('c-b', 'op2');
    const firstRecord = tap.records.length;
    // Slow the wire a little so that resets find batches and acks on the way.
    proxy.setMode({ kind: 'latency', ms: 50 });
    const created: string[] = [];
    for (let i = 1; i <= 400; i += 1) created.push((await call(a.core, 'cases.create', caseDraft(i, 'reset'))).number);
    for (let round = 1; round <= 2; round += 1) {
      const before = serverCaseCount(brisk.dataDir, a.station);
      await waitFor(() => serverCaseCount(brisk.dataDir, a.station) > before, 20_000, { intervalMs: 2, message: `server count above ${before}` });
      proxy.setMode({ kind: 'reset' });
      log.note(`reset ${round}: server held ${serverCaseCount(brisk.dataDir, a.station)}`);
      await sleep(300);
      proxy.setMode({ kind: 'latency', ms: 50 });
    }
    await waitSynced(a.core, 30_000, 'A synced after resets');
    await waitFor(() => localCaseNumbers(b.dir).filter((n) => n.startsWith(`${a.station}-`)).length === 400, 30_000, { message: 'B holds all 400' });
    const outcomes = pushOutcomes({ ...tap, records: tap.records.slice(firstRecord) });
    log.note(`push outcomes: ${outcomes.length}, duplicates ${outcomes.filter((o) => o.status === 'duplicate').length}`);
    await expectExactlyOnce(brisk, a, created);
    expect(localCaseNumbers(b.dir).filter((n) => n.startsWith(`${a.station}-`))).toEqual([...created].sort());
    proxy.setMode({ kind: 'pass' });
    await closeWhenIdle(b.core);
    await closeWhenIdle(a.core);
  });

  it('(d) half-open: the client notices the dead connection by ping timeout and reconnects', async () => {
    const { log, proxy, workstation } = await rig('proxy (d) half-open', brisk);
    const a = await workstation('d-a');
    let cutAt = 0;
    let noticedAt = 0;
    a.core.events.on('sync.status', (s) => {
      if (cutAt && !noticedAt && !s.online) {
        noticedAt = Date.now();
        // Back to normal at once, before the first reconnect attempt (≥ 250 ms later).
        proxy.setMode({ kind: 'pass' });
      }
    });
    proxy.setMode({ kind: 'half-open' });
    cutAt = Date.now();
    log.note('half-open: server side closed, client side left hanging');
    const created: string[] = [];
    for (let i = 1; i <= 5; i += 1) created.push((await call(a.core, 'cases.create', caseDraft(i, 'half-open'))).number);
    await waitFor(() => noticedAt > 0, 15_000, { message: 'A notices the dead connection' });
    log.note(`A noticed after ${noticedAt - cutAt} ms`);
    // Nothing sent into the dead connection reached the server.
    expect(serverCaseCount(brisk.dataDir, a.station)).toBe(0);
    expect(noticedAt - cutAt).toBeLessThan(10_000);
    await waitSynced(a.core, 30_000, 'A synced after reconnecting');
    await expectExactlyOnce(brisk, a, created);
    await closeWhenIdle(a.core);
  });
});
