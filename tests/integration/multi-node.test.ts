import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server/app';
import { createLogger } from '../../src/server/log';
import { formatCaseNumber } from '../../src/shared/domain/case';
import { Poke, decodeFrame } from '../../src/shared/sync/protocol';
import { createPgDatabase } from '../helpers/backends';
import { makeTempDir, removeDir } from '../helpers/tmp';
import { ProtocolClient } from '../helpers/protocol-client';

// Two server nodes on one PostgreSQL, pokes fanned out through Redis: they behave as one server.
const PG = process.env.TEST_DATABASE_URL ?? '';
const REDIS = process.env.TEST_REDIS_URL ?? '';
const why = !PG ? 'TEST_DATABASE_URL is not set' : !REDIS ? 'TEST_REDIS_URL is not set' : '';
if (why) console.log(`multi-node tests skipped: ${why} (.ci/run starts PostgreSQL and Redis)`);

describe.skipIf(why !== '')('two server nodes on one PostgreSQL with the Redis adapter', () => {
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  const nodes: RunningServer[] = [];
  const dirs: string[] = [];
  const clients: ProtocolClient[] = [];

  beforeAll(async () => {
    db = await createPgDatabase();
    // Both nodes start at once: migrations and seeding must not trip over each other.
    const started = await Promise.allSettled(
      [0, 1].map(() => {
        const dir = makeTempDir('hotline-node-');
        dirs.push(dir);
        return startServer({ port: 0, dataDir: dir, databaseUrl: db.url, redisUrl: REDIS, logger: createLogger({}, 'error') });
      }),
    );
    // A node that started is closed in afterAll even when the other one failed.
    for (const s of started) if (s.status === 'fulfilled') nodes.push(s.value);
    for (const s of started) if (s.status === 'rejected') throw s.reason;
  }, 60_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    for (const n of nodes) await n.close();
    await db.drop();
    dirs.forEach(removeDir);
  });

  async function connect(node: RunningServer, user: string): Promise<ProtocolClient> {
    const c = await ProtocolClient.connect(node.url, user);
    clients.push(c);
    return c;
  }

  it('a case written through node 1 is poked, inline, to a workstation on node 2', async () => {
    const [n1, n2] = nodes as [RunningServer, RunningServer];
    const writer = await connect(n1, 'op1');
    const watcher = await connect(n2, 'op2');
    const pokes: Poke[] = [];
    watcher.socket.on('poke', (raw: unknown) => pokes.push(Poke.parse(decodeFrame(raw))));
    const id = crypto.randomUUID();
    const res = await writer.push([
      writer.mutation('createCase', {
        id,
        number: formatCaseNumber(writer.login.station, 1),
        callerPhone: '13800138000',
        callerName: '',
        categoryCode: 'utility.water_outage',
        address: '北京市朝阳区建外街道',
        description: '整栋楼停水两个小时',
        createdAt: Date.now(),
      }),
    ]);
    expect(res.ok && res.outcomes[0]?.status).toBe('applied');
    const deadline = Date.now() + 3000;
    while (!pokes.some((p) => p.changes?.some((c) => c.id === id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const poke = pokes.find((p) => p.changes?.some((c) => c.id === id));
    expect(poke?.scope).toBe('team:team-a');
    // And a pull through node 2 returns the same case.
    const page = await watcher.pull({});
    expect(page.ok && page.changes.some((c) => c.entity === 'case' && c.id === id)).toBe(true);
  });

  it('leads on different nodes reassigning one case at once: exactly one wins, 200 times', async () => {
    const [n1, n2] = nodes as [RunningServer, RunningServer];
    const op = await connect(n1, 'op1');
    const leadA = await connect(n1, 'lead1');
    const leadB = await connect(n2, 'lead2');
    const id = crypto.randomUUID();
    await op.push([
      op.mutation('createCase', {
        id,
        number: formatCaseNumber(op.login.station, 2),
        callerPhone: '13800138001',
        callerName: '',
        categoryCode: 'noise.residential',
        address: '北京市海淀区中关村街道',
        description: '夜间施工噪音扰民',
        createdAt: Date.now(),
      }),
    ]);
    const target = op.login.user.id;
    let rev = 1;
    for (let round = 0; round < 200; round += 1) {
      const [a, b] = await Promise.all([
        leadA.push([leadA.mutation('reassignCase', { caseId: id, toUserId: target, expectedRev: rev })]),
        leadB.push([leadB.mutation('reassignCase', { caseId: id, toUserId: target, expectedRev: rev })]),
      ]);
      const statuses = [a.ok && a.outcomes[0]?.status, b.ok && b.outcomes[0]?.status].sort();
      expect(statuses, `round ${round}`).toEqual(['applied', 'rejected']);
      rev += 1;
    }
  }, 120_000);
});
