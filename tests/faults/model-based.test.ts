import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { WorkstationCore } from '../../src/main/core/core';
import { createPgDatabase } from '../helpers/backends';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { sleep, waitFor } from '../helpers/wait';

// A model-based randomized test of the sync invariants (docs/sync.md): 3 workstations (an operator
// and two shift leads) against 2 server nodes (PostgreSQL + Redis; 1 node on SQLite when those are
// absent). Random sequences of local writes, reassignments, offline/online, server restarts and
// client crashes; at quiescence every workstation equals the server, every mutation took effect at
// most once and every accepted one exactly once, and nothing saved was lost. fast-check prints the
// seed and the shrunk command sequence of a failure; rerun it with MODEL_SEED / MODEL_PATH.

process.env.HOTLINE_SCRYPT_N ??= '1024'; // hundreds of logins: cheap hashes, for this test only
const RUNS = Number(process.env.MODEL_RUNS ?? 200);
const PG = process.env.TEST_DATABASE_URL ?? '';
const REDIS = process.env.TEST_REDIS_URL ?? '';
const MULTI_NODE = PG !== '' && REDIS !== '';
const USERS = ['op1', 'lead1', 'lead2'] as const;

interface Node {
  port: number;
  server: RunningServer | null;
  dataDir: string;
}

interface Station {
  user: (typeof USERS)[number];
  dataDir: string;
  proxy: FaultProxy;
  core: WorkstationCore;
  online: boolean;
}

interface World {
  nodes: Node[];
  stations: Station[];
  databaseUrl: string | undefined;
  userIds: Map<string, string>;
}

interface Model {
  /** Every case a workstation saved (cases.create returned ok): none may be lost. */
  created: Set<string>;
}

const log = createLogger({}, 'error');

async function startNode(world: World, node: Node): Promise<void> {
  node.server = await startServer({ port: node.port, dataDir: node.dataDir, databaseUrl: world.databaseUrl, redisUrl: MULTI_NODE ? REDIS : undefined, logger: log });
  node.port = node.server.port;
}

function openCore(s: Station, serverUrl: string): WorkstationCore {
  return new WorkstationCore({ dataDir: s.dataDir, serverUrl, mode: 'browser', version: 'model', ackTimeoutMs: 3000 });
}

async function login(s: Station): Promise<void> {
  const res = await s.core.invoke('session.login', { username: s.user, password: 'hotline123' });
  if (!res.ok) throw new Error(`login ${s.user}: ${res.error.code} ${res.error.message}`);
}

function readLocal(s: Station): { cases: Map<string, string>; outbox: number; seqs: { client_id: string; next_seq: number }[]; rejections: string[] } {
  const db = new BetterSqlite3(path.join(s.dataDir, 'workstation.sqlite'), { readonly: true });
  try {
    const rows = db.prepare('SELECT id, rev, assignee, pending FROM cases').all() as { id: string; rev: number; assignee: string | null; pending: number }[];
    return {
      cases: new Map(rows.map((r) => [r.id, `${r.rev}:${r.assignee ?? ''}:${r.pending}`])),
      outbox: (db.prepare('SELECT COUNT(*) AS n FROM outbox').get() as { n: number }).n,
      seqs: db.prepare('SELECT client_id, next_seq FROM accounts').all() as { client_id: string; next_seq: number }[],
      rejections: (db.prepare('SELECT code FROM rejections').all() as { code: string }[]).map((r) => r.code),
    };
  } finally {
    db.close();
  }
}

// ---- commands ---------------------------------------------------------------------------------

class CreateCase implements fc.AsyncCommand<Model, World> {
  constructor(readonly station: number, readonly variant: number) {}
  check = () => true;
  async run(m: Model, w: World): Promise<void> {
    const s = w.stations[this.station];
    if (!s) return;
    const res = await s.core.invoke('cases.create', {
      callerPhone: `1380013${String(8000 + (this.variant % 2000)).padStart(4, '0')}`,
      callerName: '',
      categoryCode: this.variant % 2 ? 'urban.parking' : 'utility.water_outage',
      address: '北京市东城区东华门街道南池子大街',
      description: `模型测试工单 ${this.variant}`,
    });
    if (!res.ok) throw new Error(`create failed: ${res.error.code} ${res.error.message}`);
    m.created.add((res.value as { id: string }).id);
  }
  toString = () => `create(ws${this.station})`;
}

class Reassign implements fc.AsyncCommand<Model, World> {
  constructor(readonly station: 1 | 2, readonly pick: number, readonly to: number) {}
  check = (m: Readonly<Model>) => m.created.size > 0;
  async run(_m: Model, w: World): Promise<void> {
    const s = w.stations[this.station];
    if (!s) return;
    const list = await s.core.invoke('cases.list', { scope: 'team', limit: 50 });
    if (!list.ok) throw new Error(`list failed: ${list.error.code}`);
    const cases = list.value as { id: string }[];
    const target = cases[this.pick % Math.max(1, cases.length)];
    if (!target) return;
    const toUserId = w.userIds.get(USERS[this.to % USERS.length] ?? 'op1') ?? '';
    const res = await s.core.invoke('cases.reassign', { caseId: target.id, toUserId });
    if (!res.ok) throw new Error(`reassign failed: ${res.error.code} ${res.error.message}`);
  }
  toString = () => `reassign(ws${this.station}, #${this.pick}, →${USERS[this.to % USERS.length] ?? ''})`;
}

class SetOnline implements fc.AsyncCommand<Model, World> {
  constructor(readonly station: number, readonly online: boolean) {}
  check = () => true;
  run(_m: Model, w: World): Promise<void> {
    const s = w.stations[this.station];
    if (s) {
      s.proxy.setMode(this.online ? { kind: 'pass' } : { kind: 'reset' });
      s.online = this.online;
    }
    return Promise.resolve();
  }
  toString = () => `${this.online ? 'online' : 'offline'}(ws${this.station})`;
}

class RestartNode implements fc.AsyncCommand<Model, World> {
  constructor(readonly node: number) {}
  check = () => true;
  async run(_m: Model, w: World): Promise<void> {
    const n = w.nodes[this.node % w.nodes.length];
    if (!n) return;
    await n.server?.close();
    n.server = null;
    await startNode(w, n);
  }
  toString = () => `restart(node${this.node})`;
}

class CrashClient implements fc.AsyncCommand<Model, World> {
  constructor(readonly station: number) {}
  check = () => true;
  async run(_m: Model, w: World): Promise<void> {
    const s = w.stations[this.station];
    if (!s) return;
    // No logout, no flush: the process is gone; everything it committed must still be there.
    await s.core.close();
    s.core = openCore(s, s.proxy.url);
    await login(s); // offline login when its network is down
  }
  toString = () => `crash(ws${this.station})`;
}

const commands = [
  fc.tuple(fc.integer({ min: 0, max: 2 }), fc.nat(10_000)).map(([s, v]) => new CreateCase(s, v)),
  fc.tuple(fc.constantFrom(1 as const, 2 as const), fc.nat(20), fc.nat(2)).map(([s, p, t]) => new Reassign(s, p, t)),
  fc.tuple(fc.integer({ min: 0, max: 2 }), fc.boolean()).map(([s, on]) => new SetOnline(s, on)),
  fc.nat(1).map((n) => new RestartNode(n)),
  fc.integer({ min: 0, max: 2 }).map((s) => new CrashClient(s)),
];

// ---- quiescence and the invariants --------------------------------------------------------------

async function quiesceAndCheck(m: Model, w: World): Promise<void> {
  for (const s of w.stations) s.proxy.setMode({ kind: 'pass' });
  const server = w.nodes[0]?.server;
  if (!server) throw new Error('node 0 down');
  const deadline = Date.now() + 20_000;
  let last = '';
  for (;;) {
    const rows = await server.db.all<{ id: string; rev: number; assignee: string | null }>('SELECT id, rev, assignee FROM cases');
    const expected = new Map(rows.map((r) => [r.id, `${r.rev}:${r.assignee ?? ''}:0`]));
    const locals = w.stations.map(readLocal);
    const agree = locals.every((l) => l.outbox === 0 && l.cases.size === expected.size && [...expected].every(([id, v]) => l.cases.get(id) === v));
    if (agree) {
      // (4) nothing saved was lost; (2) exactly once: one row per case, revisions match events.
      for (const id of m.created) expect(expected.has(id), `case ${id} saved on a workstation is on the server`).toBe(true);
      const events = await server.db.all<{ case_id: string; n: number }>(
        "SELECT case_id, COUNT(*) AS n FROM case_events WHERE kind = 'reassigned' GROUP BY case_id",
      );
      const reassigned = new Map(events.map((e) => [e.case_id, e.n]));
      for (const r of rows) expect(r.rev - 1, `case ${r.id}: rev vs reassignment events`).toBe(reassigned.get(r.id) ?? 0);
      // Every mutation a workstation made was processed by the server exactly once.
      for (const l of locals) {
        for (const { client_id, next_seq } of l.seqs) {
          const logged = await server.db.get<{ n: number; bad: number }>(
            "SELECT COUNT(*) AS n, SUM(CASE WHEN status = 'rejected' AND reason_code <> 'conflict' THEN 1 ELSE 0 END) AS bad FROM mutation_log WHERE client_id = ?",
            [client_id],
          );
          expect(logged?.n ?? 0, `client ${client_id}: mutations logged`).toBe(next_seq - 1);
          expect(logged?.bad ?? 0, `client ${client_id}: rejections other than conflicts`).toBe(0);
        }
        expect(l.rejections.filter((c) => c !== 'conflict')).toEqual([]);
      }
      return;
    }
    last = JSON.stringify({
      server: expected.size,
      stations: locals.map((l) => ({ cases: l.cases.size, outbox: l.outbox })),
    });
    if (Date.now() > deadline) throw new Error(`no quiescence within 20 s: ${last}`);
    await sleep(50);
  }
}

describe('model-based sync (fast-check)', () => {
  let world: World;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (!MULTI_NODE) console.log('model test: TEST_DATABASE_URL and TEST_REDIS_URL not both set — one SQLite node instead of two nodes on PostgreSQL');
    let databaseUrl: string | undefined;
    if (MULTI_NODE) {
      const pg = await createPgDatabase();
      databaseUrl = pg.url;
      dropDb = () => pg.drop();
    }
    world = { nodes: [], stations: [], databaseUrl, userIds: new Map() };
    const nodeCount = MULTI_NODE ? 2 : 1;
    for (let i = 0; i < nodeCount; i += 1) {
      const node: Node = { port: 0, server: null, dataDir: makeTempDir('hotline-model-node-') };
      world.nodes.push(node);
      await startNode(world, node);
    }
    const first = world.nodes[0]?.server;
    if (!first) throw new Error('no node');
    for (const u of USERS) {
      const row = await first.db.get<{ id: string }>('SELECT id FROM users WHERE username = ?', [u]);
      world.userIds.set(u, row?.id ?? '');
    }
    for (const [i, user] of USERS.entries()) {
      const node = world.nodes[i % world.nodes.length];
      if (!node) throw new Error('no node');
      const proxy = await startFaultProxy(node.port);
      const dataDir = makeTempDir('hotline-model-ws-');
      const station: Station = { user, dataDir, proxy, core: null as unknown as WorkstationCore, online: true };
      station.core = openCore(station, proxy.url);
      await login(station);
      world.stations.push(station);
    }
    // The first histories create cases at once: every workstation must have pulled the categories
    // (its first sync) by then, or a create is refused locally as an unknown category.
    for (const s of world.stations) {
      await waitFor(async () => {
        const r = await s.core.invoke('reference.categories', {});
        return r.ok && (r.value as unknown[]).length > 0;
      }, 60_000, { message: `first sync of ${s.user}` });
    }
  }, 120_000);

  afterAll(async () => {
    for (const s of world.stations) {
      await s.core.close();
      await s.proxy.close();
      removeDir(s.dataDir);
    }
    for (const n of world.nodes) {
      await n.server?.close();
      removeDir(n.dataDir);
    }
    await dropDb?.();
  });

  it(`${RUNS} random histories converge with every mutation applied at most once`, async () => {
    const seed = process.env.MODEL_SEED ? Number(process.env.MODEL_SEED) : undefined;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 12 }), async (cmds) => {
        const model: Model = { created: new Set() };
        await fc.asyncModelRun(() => ({ model, real: world }), cmds);
        await quiesceAndCheck(model, world);
      }),
      {
        numRuns: RUNS,
        ...(seed === undefined ? {} : { seed }),
        ...(process.env.MODEL_PATH ? { path: process.env.MODEL_PATH } : {}),
        // Shrinking replays whole histories against real processes: keep it bounded.
        endOnFailure: process.env.MODEL_SHRINK !== '1',
        verbose: fc.VerbosityLevel.Verbose,
      },
    );
    console.log(`model test: ${RUNS} runs on ${world.nodes.length} node(s) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 900_000);
});

