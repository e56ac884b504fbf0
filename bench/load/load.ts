import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { API_KEYS_FILE } from '../../src/server/seed';
import { shippedReferenceSet } from '../../src/server/reference/reference-set';
import { UNIT_API_BASE } from '../../src/shared/units/api';
import { makeTempDir, removeDir } from '../../tests/helpers/tmp';
import { percentile, round, spawnTsx, type Child } from '../lib';
import { machine, ProcSampler, startNode, startPostgres, startRedis, type Node } from './infra';
import { Report, type Command, type OperatorSpec, type View } from './messages';
import { audit, seedFloor } from './audit';

/**
 * `npm run load -- --json`: a day of the hotline compressed. Starts PostgreSQL, Redis and two
 * server nodes (or uses DATABASE_URL / REDIS_URL), puts a floor of simulated workstations on them
 * (real socket.io sync clients of the real protocol, spread over a few processes), registers and
 * dispatches cases at a steady rate with units signing for and replying through the unit API,
 * callbacks closing cases and leads reassigning some; SIGKILLs one node halfway and restarts it a
 * minute later; then audits the server and every workstation's view and prints one JSON line.
 */

const Args = z.object({
  operators: z.coerce.number().int().min(4),
  teams: z.coerce.number().int().min(1),
  cases: z.coerce.number().int().min(1),
  minutes: z.coerce.number().positive(),
  procs: z.coerce.number().int().min(1).max(32),
  kill: z.boolean(),
});

const { values } = parseArgs({
  options: {
    operators: { type: 'string', default: '1700' },
    teams: { type: 'string', default: '85' },
    cases: { type: 'string', default: '68000' },
    minutes: { type: 'string', default: '10' },
    procs: { type: 'string', default: '4' },
    'no-kill': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const args = Args.parse({ ...values, kill: !values['no-kill'] });
const log = (msg: string): void => void process.stderr.write(`load: ${msg}\n`);
const now = (): number => performance.timeOrigin + performance.now();
const PASSWORD = 'load-test-pw';
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

const ADDRESSES = ['朝阳区望京街道阜通东大街 6 号', '海淀区中关村街道中关村大街 27 号', '东城区东华门街道王府井大街 88 号', '西城区金融街街道金融大街 15 号', '丰台区丰台街道丰台路 20 号', '通州区北苑街道新华大街 10 号'];

interface CaseTrack {
  team: string;
  op: number;
  proc: number;
  sentAt: number;
  ackAt?: number;
  status?: string;
  seenAt: number;
  seenCount: number;
  dispatchedTo: string | null;
  number?: string;
  /** Mutations acknowledged as applied (or applied before a lost answer), and unit steps done. */
  applied: number;
}

async function main(): Promise<void> {
  const tmp = makeTempDir('hotline-load-');
  const ref = shippedReferenceSet();
  const categories = ref.leafCategories().filter((c) => !c.directAnswer).map((c) => c.code);
  const units = ref.bundle.units.units.filter((u) => u.kind === 'street_office').map((u) => u.id);
  const durationMs = args.minutes * 60_000;
  const killAtMs = durationMs / 2;
  const restartAfterMs = Math.min(60_000, durationMs / 10);

  log(`PostgreSQL and Redis (${process.env.DATABASE_URL ? 'DATABASE_URL' : 'private cluster'}, ${process.env.REDIS_URL ? 'REDIS_URL' : 'private redis-server'})`);
  const pgService = await startPostgres(process.env.DATABASE_URL, tmp);
  const redis = await startRedis(process.env.REDIS_URL);
  // The floor's accounts are hashed at scrypt N=2^10 so that 1,700 logins measure sync, not scrypt.
  // Every node of a deployment signs and verifies tokens with the same key (a session survives failover).
  const tokenSecret = `load:${crypto.randomBytes(32).toString('base64')}`;
  const nodeEnv = { DATABASE_URL: pgService.url, REDIS_URL: redis.url, LOG_LEVEL: 'error', HOTLINE_SCRYPT_N: '1024', HOTLINE_TOKEN_SECRET: tokenSecret, HOTLINE_ACCESS_TTL_MS: String(2 * 3600_000) };
  const nodes: Node[] = [];
  const sims: Child[] = [];
  const sampler = new ProcSampler();
  try {
    nodes.push(await startNode(0, path.join(tmp, 'node0'), nodeEnv));
    const floor = floorOf(args.operators, args.teams);
    process.env.HOTLINE_SCRYPT_N = '1024';
    await seedFloor(pgService.url, floor, PASSWORD);
    nodes.push(await startNode(1, path.join(tmp, 'node1'), nodeEnv));
    for (const n of nodes) sampler.watch(`node${n.index}`, () => n.child.proc.pid);
    sampler.start();
    const keys = JSON.parse(fs.readFileSync(path.join(nodes[0]?.dataDir ?? '', API_KEYS_FILE), 'utf8')) as Record<string, string>;
    const unitKey = (unitId: string): string => keys[ref.unit(unitId)?.apiKeyId ?? ''] ?? '';

    // The floor, spread over a few processes.
    const per = Math.ceil(floor.length / args.procs);
    const cases = new Map<string, CaseTrack>();
    const teamSize = new Map<string, number>();
    for (const o of floor) teamSize.set(o.team, (teamSize.get(o.team) ?? 0) + 1);
    const operators: { proc: number; op: number; userId: string; team: string; lead: boolean; node: number }[] = [];
    const reconnects: { downAt: number; upAt: number }[] = [];
    const views: View[] = [];
    let initialSyncMs = 0;
    let finished = false;
    const errors: string[] = [];
    const ready: Promise<void>[] = [];
    let viewsWanted = 0;
    let viewsDone: () => void = () => undefined;
    const allViews = new Promise<void>((r) => (viewsDone = r));
    let drainedWanted = 0;
    let drainedDone: () => void = () => undefined;
    const allDrained = new Promise<void>((r) => (drainedDone = r));

    const t0 = now();
    for (let p = 0; p * per < floor.length; p += 1) {
      const slice = floor.slice(p * per, (p + 1) * per);
      const child = spawnTsx('bench/load/workstations.ts', [], { LOAD_SIM_CONFIG: JSON.stringify({ nodes: nodes.map((n) => n.url), password: PASSWORD, operators: slice, offset: p * per }) });
      sims.push(child);
      sampler.watch(`sim${p}`, () => child.proc.pid);
      let buf = '';
      let markReady: () => void = () => undefined;
      ready.push(new Promise<void>((r) => (markReady = r)));
      child.proc.stdout?.on('data', (chunk: Buffer | string) => {
        buf += chunk.toString();
        const lines = buf.split('\n');
        buf = lines.pop() ?? '';
        for (const line of lines) {
          const r = Report.safeParse(JSON.parse(line));
          if (!r.success) continue;
          const m = r.data;
          if (m.t === 'ready') {
            initialSyncMs = Math.max(initialSyncMs, m.initialSyncMs);
            for (const o of m.operators) operators.push({ proc: p, op: o.op, userId: o.userId, team: o.team, lead: slice[o.op]?.lead ?? false, node: o.node });
            markReady();
          } else if (m.t === 'ack') {
            const c = cases.get(m.caseId);
            if (!c) continue;
            if (m.status !== 'rejected') c.applied += 1;
            else errors.push(`${m.kind} ${m.caseId}: ${m.reason ?? ''}`);
            if (m.kind === 'create') {
              c.ackAt = m.ackAt;
              c.status = m.status;
              c.number = m.number;
              c.sentAt = m.sentAt;
              if (m.status !== 'rejected' && c.dispatchedTo === null && Math.random() < 0.02) scheduleReassign(m.caseId);
            }
            if (m.kind === 'dispatch' && m.status !== 'rejected' && Math.random() < 0.5) scheduleUnit(m.caseId);
          } else if (m.t === 'seen') {
            for (const [id, at, n] of m.items) {
              const c = cases.get(id);
              if (!c) continue;
              c.seenAt = Math.max(c.seenAt, at);
              c.seenCount += n;
            }
          } else if (m.t === 'reconnected') reconnects.push({ downAt: m.downAt, upAt: m.upAt });
          else if (m.t === 'views') {
            views.push(...m.views);
            viewsWanted -= 1;
            if (viewsWanted === 0) viewsDone();
          } else if (m.t === 'drained') {
            if (m.outbox > 0 || m.offline > 0) errors.push(`process ${p} drained with ${m.outbox} unsent and ${m.offline} offline`);
            drainedWanted -= 1;
            if (drainedWanted === 0) drainedDone();
          } else errors.push(m.message);
        }
      });
    }
    let simCrashes = 0;
    for (const [p, s] of sims.entries())
      s.proc.once('exit', (code) => {
        if (code !== 0 && !finished) {
          simCrashes += 1;
          errors.push(`workstation process ${p} exited with ${String(code)}: ${s.stderr().slice(-300)}`);
        }
      });
    const send = (proc: number, cmd: Command): void => void sims[proc]?.proc.stdin?.write(`${JSON.stringify(cmd)}\n`);
    log(`${floor.length} workstations logging in and syncing over ${nodes.length} nodes in ${sims.length} processes`);
    if (!(await within(Promise.all(ready), 600_000))) throw new Error(`floor not ready: ${sims.map((s) => s.stderr().slice(-500)).join('\n')}`);
    const loginStormS = (now() - t0) / 1000;
    log(`floor ready in ${round(loginStormS, 1)} s; ${args.cases} cases over ${args.minutes} min`);
    const byTeam = new Map<string, typeof operators>();
    for (const o of operators) byTeam.set(o.team, [...(byTeam.get(o.team) ?? []), o]);
    const staff = operators.filter((o) => !o.lead);

    // Unit steps through the unit API, on whichever node answers; bounded in flight.
    let unitInflight = 0;
    let unitFailures = 0;
    const unitQueue: (() => Promise<void>)[] = [];
    const pumpUnits = (): void => {
      while (unitInflight < 16 && unitQueue.length > 0) {
        const job = unitQueue.shift() as () => Promise<void>;
        unitInflight += 1;
        void job().finally(() => {
          unitInflight -= 1;
          pumpUnits();
        });
      }
    };
    const unitCall = async (unitId: string, number: string, step: string, body: object): Promise<boolean> => {
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const node = nodes[attempt % nodes.length] as Node;
        try {
          const res = await fetch(`${node.url}${UNIT_API_BASE}/cases/${number}/${step}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${unitKey(unitId)}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          if (res.ok) return true;
          if (res.status < 500) return false;
        } catch {
          // that node is down: the other one
        }
        await new Promise((r) => setTimeout(r, 500));
      }
      return false;
    };
    const timers = new Set<NodeJS.Timeout>();
    const later = (ms: number, fn: () => void): void => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
    };
    function scheduleUnit(caseId: string): void {
      later(2000 + Math.random() * 8000, () => {
        unitQueue.push(async () => {
          const c = cases.get(caseId);
          if (!c?.number || !c.dispatchedTo) return;
          if (!(await unitCall(c.dispatchedTo, c.number, 'accept', {}))) return void (unitFailures += 1);
          c.applied += 1;
          if (!(await unitCall(c.dispatchedTo, c.number, 'reply', { outcome: 'resolved', text: '已到现场处理，并电话告知市民', contactedAt: Date.now() }))) return void (unitFailures += 1);
          c.applied += 1;
          later(3000 + Math.random() * 5000, () => send(c.proc, { t: 'close', op: c.op, caseId }));
        });
        pumpUnits();
      });
    }
    function scheduleReassign(caseId: string): void {
      later(1000 + Math.random() * 4000, () => {
        const c = cases.get(caseId);
        const team = c ? (byTeam.get(c.team) ?? []) : [];
        const lead = team.find((o) => o.lead);
        const to = team.filter((o) => !o.lead && !(o.proc === c?.proc && o.op === c.op));
        if (!c || !lead || to.length === 0) return;
        send(lead.proc, { t: 'reassign', op: lead.op, caseId, toUserId: pick(to).userId });
      });
    }

    // The day, compressed: cases at a steady rate; one node killed halfway and restarted.
    sampler.now();
    const cpuBefore = nodes.reduce((s, n) => s + sampler.cpuSeconds(`node${n.index}`), 0);
    const start = now();
    let killAt: number | undefined;
    let killedNodeClients = 0;
    let issued = 0;
    await new Promise<void>((resolve) => {
      const tick = setInterval(() => {
        const elapsed = now() - start;
        const due = Math.min(args.cases, Math.floor((elapsed / durationMs) * args.cases));
        while (issued < due) {
          issued += 1;
          const o = pick(staff);
          const caseId = crypto.randomUUID();
          const unitId = Math.random() < 0.7 ? pick(units) : null;
          cases.set(caseId, { team: o.team, op: o.op, proc: o.proc, sentAt: now(), seenAt: 0, seenCount: 0, dispatchedTo: unitId, applied: 0 });
          send(o.proc, { t: 'create', op: o.op, caseId, categoryCode: pick(categories), address: pick(ADDRESSES), description: `压测工单 L${issued} 夜间施工噪声扰民`, unitId });
        }
        if (args.kill && killAt === undefined && elapsed >= killAtMs) {
          killAt = now();
          killedNodeClients = operators.filter((o) => o.node === 1).length;
          log(`SIGKILL node 1 (${killedNodeClients} workstations on it)`);
          const victim = nodes[1] as Node;
          void victim.kill().then(() =>
            later(restartAfterMs, () => {
              log('restarting node 1');
              void victim.restart().catch((e: unknown) => errors.push(`restart: ${String(e)}`));
            }),
          );
        }
        if (issued >= args.cases) {
          clearInterval(tick);
          resolve();
        }
      }, 20);
    });
    const sustainedS = (now() - start) / 1000;
    log(`all ${issued} cases issued in ${round(sustainedS, 1)} s; letting units, callbacks and failover settle`);
    const settleUntil = Date.now() + 60_000;
    while (Date.now() < settleUntil && (timers.size > 0 || unitQueue.length > 0 || unitInflight > 0)) await new Promise((r) => setTimeout(r, 500));
    const lastAck = Math.max(...Array.from(cases.values(), (c) => c.ackAt ?? 0));
    sampler.now();
    const cpuDuring = nodes.reduce((s, n) => s + sampler.cpuSeconds(`node${n.index}`), 0) - cpuBefore;
    // Every process pushes what it holds first; only then does any of them pull for the audit.
    drainedWanted = sims.length;
    for (let p = 0; p < sims.length; p += 1) send(p, { t: 'drain' });
    await within(allDrained, 300_000);
    viewsWanted = sims.length;
    for (let p = 0; p < sims.length; p += 1) send(p, { t: 'finish' });
    await within(allViews, 240_000);
    sampler.stop();
    finished = true;

    log('auditing the server and every view');
    const result = await audit(pgService.url, cases, views);
    // A case is in the failover window when its way from outbox to ack overlapped the kill-to-recovery span.
    const outsideWindow = (c: CaseTrack): boolean => killAt === undefined || (c.ackAt ?? Infinity) < killAt || c.sentAt > killAt + failoverMs();
    function failoverMs(): number {
      return killAt === undefined || reconnects.length === 0 ? 0 : Math.max(...reconnects.map((r) => r.upAt)) - killAt;
    }
    const acked = Array.from(cases.values()).filter((c) => c.ackAt !== undefined && c.status !== 'rejected');
    const ackMs = (cs: CaseTrack[]) => cs.map((c) => (c.ackAt ?? 0) - c.sentAt).sort((a, b) => a - b);
    const visibleMs = (cs: CaseTrack[]) =>
      cs.filter((c) => c.seenCount >= (teamSize.get(c.team) ?? Infinity)).map((c) => Math.max(0, c.seenAt - (c.ackAt ?? 0))).sort((a, b) => a - b);
    const normal = acked.filter(outsideWindow);
    const inWindow = acked.filter((c) => !outsideWindow(c));
    const neverVisible = acked.filter((c) => c.seenCount < (teamSize.get(c.team) ?? Infinity)).length;
    const out = {
      bench: 'load',
      operators: floor.length - args.teams,
      leads: args.teams,
      teams: args.teams,
      nodes: nodes.length,
      sim_processes: sims.length,
      cases: acked.length,
      cases_issued: issued,
      minutes: args.minutes,
      sustained_cases_per_s: round(acked.filter((c) => (c.ackAt ?? 0) <= lastAck).length / ((lastAck - start) / 1000), 1),
      ack_p50_ms: round(percentile(ackMs(normal), 50), 1),
      ack_p99_ms: round(percentile(ackMs(normal), 99), 1),
      visible_p99_ms: round(percentile(visibleMs(normal), 99), 1),
      failover_ack_p50_ms: round(percentile(ackMs(inWindow), 50), 1),
      failover_ack_p99_ms: round(percentile(ackMs(inWindow), 99), 1),
      failover_visible_p99_ms: round(percentile(visibleMs(inWindow), 99), 1),
      failover_s: killAt === undefined ? null : round(failoverMs() / 1000, 2),
      killed_node_workstations: killedNodeClients,
      reconnected_workstations: reconnects.length,
      lost: result.lost,
      duplicated: result.duplicated,
      history_mismatch: result.historyMismatch,
      stale_views: result.staleViews,
      views_reported: views.length,
      outbox_left: views.reduce((s, v) => s + v.outbox, 0),
      never_visible_to_whole_team: neverVisible,
      workstation_process_crashes: simCrashes,
      errors: errors.length,
      errors_sample: errors.slice(0, 5),
      unit_step_failures: unitFailures,
      login_storm_s: round(loginStormS, 1),
      initial_sync_max_ms: round(initialSyncMs, 0),
      server_cpu_s_per_1000_cases: round((cpuDuring / Math.max(1, acked.length)) * 1000, 2),
      server_cpu_s_during_run: round(cpuDuring, 1),
      peak_rss_mb: Object.fromEntries(nodes.map((n) => [`node${n.index}`, round((sampler.peakRss.get(`node${n.index}`) ?? 0) / 2 ** 20, 0)])),
      sim_cpu_s: round(sims.reduce((s, _, p) => s + sampler.cpuSeconds(`sim${p}`), 0), 1),
      storage: 'postgresql (one database, two nodes) + redis adapter',
      accounts: 'scrypt N=2^10 for the floor’s accounts (logins are not what is measured); access tokens live 2 h so the simulated floor needs no reauth (tests/integration/sessions*.test.ts cover it)',
      machine: machine(),
    };
    console.log(values.json ? JSON.stringify(out) : JSON.stringify(out, null, 2));
    const clean = out.lost === 0 && out.duplicated === 0 && out.history_mismatch === 0 && out.stale_views === 0 && out.outbox_left === 0;
    process.exitCode = clean && simCrashes === 0 && views.length === floor.length ? 0 : 1;
  } finally {
    for (const s of sims) await s.stop().catch(() => undefined);
    for (const n of nodes) await n.stop().catch(() => undefined);
    await redis.stop();
    await pgService.stop().catch(() => undefined);
    removeDir(tmp);
  }
}

/** The floor: teams of operators, each team with one lead (a lead is one of the N workstations). */
function floorOf(operators: number, teams: number): OperatorSpec[] {
  const out: OperatorSpec[] = [];
  for (let t = 0; t < teams; t += 1) out.push({ username: `load-lead${String(t + 1).padStart(3, '0')}`, team: `load-t${String(t + 1).padStart(3, '0')}`, lead: true });
  for (let i = 0; i < operators - teams; i += 1) out.push({ username: `load-op${String(i + 1).padStart(5, '0')}`, team: `load-t${String((i % teams) + 1).padStart(3, '0')}`, lead: false });
  // Interleave so that every process and both nodes carry every team.
  return out.sort((a, b) => (a.team === b.team ? 0 : a.team < b.team ? -1 : 1)).map((o, i, all) => all[(i * 7919) % all.length] as OperatorSpec);
}

/** Whether `p` settled within `ms` (the timer does not outlive it: nothing keeps the process up). */
async function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
  try {
    return await Promise.race([p.then(() => true as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

main().then(
  // Timers of the run (units, callbacks) may still be set: the line is printed, the run is over.
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
