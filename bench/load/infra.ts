import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { ROOT, spawnTsx, type Child } from '../lib';

/** A free TCP port on loopback (closed again before use: good enough for a private run). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface Service {
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL for the run: a fresh database in the cluster `DATABASE_URL` names, or a private
 * cluster started here (scripts/pg-test-cluster.sh) that is destroyed afterwards.
 */
export async function startPostgres(given: string | undefined, tmp: string): Promise<Service> {
  let base = given;
  let destroy: (() => void) | undefined;
  if (!base) {
    const port = await freePort();
    const env = { ...process.env, PGTEST_DIR: path.join(tmp, 'pg'), PGTEST_PORT: String(port) };
    fs.chmodSync(tmp, 0o755); // the cluster may run as an unprivileged user
    base = execFileSync(path.join(ROOT, 'scripts/pg-test-cluster.sh'), ['start'], { env, encoding: 'utf8' }).trim();
    destroy = () => void execFileSync(path.join(ROOT, 'scripts/pg-test-cluster.sh'), ['destroy'], { env, stdio: 'ignore' });
  }
  const name = `hotline_load_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      destroy?.();
    },
  };
}

/** Redis for the run: `REDIS_URL`, or a private redis-server on a free loopback port. */
export async function startRedis(given: string | undefined): Promise<Service> {
  if (given) return { url: given, stop: () => Promise.resolve() };
  const port = await freePort();
  const proc: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error('redis-server did not start (is it installed? apt-get install -y redis-server)');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 100));
    },
  };
}

/** A server node as a real process (`src/server/cli.ts`), restartable on the same port and data. */
export interface Node {
  readonly index: number;
  url: string;
  dataDir: string;
  child: Child;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export async function startNode(index: number, dataDir: string, env: Record<string, string>): Promise<Node> {
  const launch = async (port: number): Promise<{ child: Child; url: string }> => {
    const child = spawnTsx('src/server/cli.ts', ['--port', String(port), '--data', dataDir], env);
    const m = await child.waitFor(/server listening on (http:\/\/127\.0\.0\.1:\d+)/, 120_000);
    return { child, url: m[1] ?? '' };
  };
  const first = await launch(0);
  const port = Number(new URL(first.url).port);
  const node: Node = {
    index,
    url: first.url,
    dataDir,
    child: first.child,
    async kill() {
      await node.child.stop('SIGKILL');
    },
    async restart() {
      const again = await launch(port);
      node.child = again.child;
    },
    async stop() {
      await node.child.stop('SIGTERM');
    },
  };
  return node;
}

/** CPU seconds and peak resident memory of process groups, sampled from /proc once a second. */
export class ProcSampler {
  private readonly cpu = new Map<number, number>(); // pid → last seen utime+stime (s)
  private readonly groupOf = new Map<number, string>();
  readonly peakRss = new Map<string, number>(); // label → bytes
  private timer: NodeJS.Timeout | undefined;
  private readonly groups = new Map<string, () => number | undefined>();
  private readonly tick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

  watch(label: string, pgid: () => number | undefined): void {
    this.groups.set(label, pgid);
  }

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.sample();
  }

  /** Takes a sample now (for CPU used between two moments). */
  now(): void {
    this.sample();
  }

  /** CPU seconds used by the processes of a label (dead ones counted up to their last sample). */
  cpuSeconds(label: string): number {
    let sum = 0;
    for (const [pid, s] of this.cpu) if (this.groupOf.get(pid) === label) sum += s;
    return sum;
  }

  private sample(): void {
    const wanted = new Map<number, string>();
    for (const [label, pgid] of this.groups) {
      const g = pgid();
      if (g !== undefined) wanted.set(g, label);
    }
    const rss = new Map<string, number>();
    for (const entry of fs.readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      } catch {
        continue;
      }
      // Fields after the command name (which may hold spaces) start at its closing parenthesis.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const label = wanted.get(Number(f[2]));
      if (label === undefined) continue;
      this.groupOf.set(pid, label);
      this.cpu.set(pid, (Number(f[11]) + Number(f[12])) / this.tick);
      rss.set(label, (rss.get(label) ?? 0) + Number(f[21]) * 4096);
    }
    for (const [label, bytes] of rss) this.peakRss.set(label, Math.max(this.peakRss.get(label) ?? 0, bytes));
  }
}

export function machine(): { cpus: number; model: string; mem_gib: number; node: string } {
  const cpus = os.cpus();
  return { cpus: cpus.length, model: cpus[0]?.model ?? 'unknown', mem_gib: Math.round(os.totalmem() / 2 ** 30), node: process.version };
}
