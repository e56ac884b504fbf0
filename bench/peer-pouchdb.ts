/**
 * The PouchDB peer of `npm run bench:sync`: PouchDB 9 ↔ express-pouchdb on loopback, LevelDB on
 * both ends, the same cases as ours, `batch_size` 500.
 *
 *   import { runPouchPeer } from './peer-pouchdb';
 *   const peer = await runPouchPeer(makeCases(10_000, seed));   // { peer_push_s, peer_converge_s, ... }
 *
 * Standalone: `npx tsx bench/peer-pouchdb.ts --n 10000 [--seed 1] [--runs 3] [--pull live|after]
 *              [--server-mode minimumForPouchDB|fullCouchDB] --json` prints one JSON line.
 *
 * Scenario (three processes, see peer-pouchdb-proc.ts):
 *  1. server: express-pouchdb over PouchDB's LevelDB adapter, data in a temp dir, on 127.0.0.1:<free port>,
 *     with the empty `cases` database created.
 *  2. workstation B: a fresh local LevelDB. With `pull: 'live'` (the default) B is online and its
 *     live pull replication (batch_size 500) has caught up with the empty server.
 *  3. workstation A: with `warmup` docs, a round before the measured one, the same way: A writes
 *     them locally, replicates them to the server, and B's live pull brings them (not timed; the
 *     clock then runs on processes that have served traffic). Then the n cases are written
 *     "offline" into A's local LevelDB with bulkDocs in chunks of 500, before any replication of
 *     them (not timed).
 *  4. t0: A reconnects — `PouchDB.replicate(A, remote, { batch_size: 500 })`.
 *     peer_push_s    = t0 → A's replication resolved (the server acknowledged every batch);
 *     peer_converge_s = t0 → B's local LevelDB holds all n docs (and the warm-up's).
 *
 * Why live pull is the fair equivalent of "A reconnects → time until B holds all": in our
 * system B is a workstation on shift, connected and subscribed, and starts pulling as soon as
 * the server pokes it — it does not wait for A to finish. PouchDB's equivalent of that is a live
 * replication that was already running; it pulls each batch as soon as it lands on the server,
 * overlapping with A's push, which is also the fastest the peer can do. `pull: 'after'` (B starts
 * a one-shot pull only when A's push resolved) is the pessimistic variant, kept for comparison.
 *
 * No time is reported unless B's allDocs holds exactly the n docs (and the warm-up's) with the same
 * content (an order-independent SHA-256 of every field) and the server holds as many.
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digestCases, makeCases } from './data';
import type { BenchCase } from './data';
import type { Command, PullMode, Report, ServerMode } from './peer-pouchdb-proc';
import { median } from './lib';

export interface PouchPeerOptions {
  /** Replication batch size on both legs (default 500, as the issue fixes it). */
  batchSize?: number;
  /** How B pulls: 'live' (already subscribed when A reconnects, default) or 'after' A's push. */
  pull?: PullMode;
  /** express-pouchdb mode (default 'minimumForPouchDB': the routes PouchDB replication uses). */
  serverMode?: ServerMode;
  /** Where the temp dir goes (default os.tmpdir()). */
  tmpRoot?: string;
  /**
   * Docs replicated A → server → B the same way before the measured round (default none), so that
   * the clock runs on processes that have served traffic, not on freshly started ones. Needs 'live'.
   */
  warmup?: readonly BenchCase[];
  /** Give up (and report no time) after this long (default 15 minutes). */
  timeoutMs?: number;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface PouchPeerResult {
  n: number;
  peer_push_s: number;
  peer_converge_s: number;
  durability: string;
  versions: Record<string, string>;
  peer_setup: string;
  peer_pull: PullMode;
  peer_batch_size: number;
  peer_server_mode: ServerMode;
  /** Peak resident set size of each process (MB). */
  peer_peak_rss_mb: { server: number; a: number; b: number };
  /**
   * 1-minute load average when the clock started: anything else busy on the 2 cores skews the
   * times. It also counts this benchmark's own preceding work (setup, earlier runs).
   */
  peer_loadavg_1m: number;
}

const ROOT = path.resolve(__dirname, '..');
const PROC = path.join(__dirname, 'peer-pouchdb-proc.ts');

type ReportOf<T extends Report['type']> = Extract<Report, { type: T }>;

/** A forked role process: send commands, await its typed reports; fails on an error report or an early exit. */
class Proc {
  private readonly child: ChildProcess;
  private readonly queue: Report[] = [];
  private waiter: { type: Report['type']; resolve: (r: Report) => void; reject: (e: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(
    readonly role: string,
    args: string[],
  ) {
    this.child = fork(PROC, ['--role', role, ...args], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (message: Report) => this.onReport(message));
    this.child.on('exit', (code, signal) => {
      if (!this.failure) this.setFailure(new Error(`${role} exited (code ${code}, signal ${signal})`));
    });
  }

  private onReport(report: Report): void {
    if (report.type === 'error') {
      this.setFailure(new Error(`${this.role}: ${report.message}`));
      return;
    }
    if (this.waiter && this.waiter.type === report.type) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve(report);
    } else {
      this.queue.push(report);
    }
  }

  private setFailure(err: Error): void {
    this.failure = err;
    if (this.waiter) {
      const { reject } = this.waiter;
      this.waiter = undefined;
      reject(err);
    }
  }

  send(command: Command): void {
    this.child.send(command);
  }

  /** The next report of this type (one waiter at a time). */
  next<T extends Report['type']>(type: T): Promise<ReportOf<T>> {
    const queued = this.queue.findIndex((r) => r.type === type);
    if (queued !== -1) {
      const [report] = this.queue.splice(queued, 1);
      return Promise.resolve(report as ReportOf<T>);
    }
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<ReportOf<T>>((resolve, reject) => {
      this.waiter = { type, resolve: (r) => resolve(r as ReportOf<T>), reject };
    });
  }

  async request<T extends Report['type']>(command: Command, type: T): Promise<ReportOf<T>> {
    const reply = this.next(type);
    this.send(command);
    return reply;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

function packageVersion(name: string, from = ROOT): string {
  // Walk up from the resolved entry point: some packages do not export their package.json.
  let dir = path.dirname(require.resolve(name, { paths: [from] }));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && pkg.version) return pkg.version;
    } catch {
      // no package.json here
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'unknown';
    dir = parent;
  }
}

function packageDir(name: string, from = ROOT): string {
  let dir = path.dirname(require.resolve(name, { paths: [from] }));
  while (path.basename(dir) !== name.split('/').pop() && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

export function pouchPeerVersions(): Record<string, string> {
  const pouch = packageDir('pouchdb');
  const expressPouch = packageDir('express-pouchdb');
  return {
    pouchdb: packageVersion('pouchdb'),
    'express-pouchdb': packageVersion('express-pouchdb'),
    // The copies these two actually load.
    leveldown: packageVersion('leveldown', pouch),
    leveldb: '1.20 (bundled with leveldown)',
    express: packageVersion('express', expressPouch),
    node: process.versions.node,
  };
}

export function pouchPeerDurability(serverMode: ServerMode): string {
  return [
    'PouchDB leveldb adapter on leveldown (LevelDB 1.20) at all three ends (server, A, B).',
    'Every PouchDB write is one LevelDB batch with the default WriteOptions.sync=false:',
    "appended to LevelDB's log with write(2) into the OS page cache, never fsynced —",
    'survives a process crash (SIGKILL), may lose the latest acknowledged writes on an OS crash or power loss.',
    `express-pouchdb (mode ${serverMode}, otherwise default) acknowledges _bulk_docs once that batch returned; it adds no fsync`,
    '(_ensure_full_commit is a no-op route and PouchDB 9 replication does not call it).',
  ].join(' ');
}

const round3 = (s: number): number => Math.round(s * 1000) / 1000;

/**
 * Replicates `docs` A → express-pouchdb → B as described at the top of this file.
 * Throws (reporting no time) if any leg fails or B/the server do not end up with exactly these docs.
 */
export async function runPouchPeer(docs: readonly BenchCase[], opts: PouchPeerOptions = {}): Promise<PouchPeerResult> {
  const batchSize = opts.batchSize ?? 500;
  const pull = opts.pull ?? 'live';
  const serverMode = opts.serverMode ?? 'minimumForPouchDB';
  const timeoutMs = opts.timeoutMs ?? 15 * 60_000;
  const log = opts.log ?? ((): void => undefined);
  const n = docs.length;
  if (n === 0) throw new Error('runPouchPeer: no docs');
  const warmup = opts.warmup ?? [];
  if (warmup.length > 0 && pull !== 'live') throw new Error('runPouchPeer: a warm-up round needs the live pull');
  const total = warmup.length + n;
  const expectedDigest = digestCases([...warmup, ...docs]);

  const dir = mkdtempSync(path.join(opts.tmpRoot ?? os.tmpdir(), 'hotline-bench-pouch-'));
  const procs: Proc[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    const docsFile = path.join(dir, 'docs.json');
    writeFileSync(docsFile, JSON.stringify(docs));

    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`runPouchPeer: timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    const within = <T>(p: Promise<T>): Promise<T> => Promise.race([p, timeout]);

    const server = new Proc('server', ['--dir', dir, '--mode', serverMode]);
    procs.push(server);
    const { port } = await within(server.next('ready'));
    if (port === undefined) throw new Error('server reported no port');
    const url = `http://127.0.0.1:${port}/cases`;
    log(`peer: express-pouchdb on ${url} (${serverMode})`);

    // B first: online and caught up with the server before A's first replication (the warm-up's,
    // when there is one).
    const b = new Proc('b', ['--dir', dir, '--url', url, '--batch', String(batchSize), '--n', String(total), '--warm', String(warmup.length), '--pull', pull]);
    procs.push(b);
    await within(b.next('ready'));
    const warmed = warmup.length > 0 ? b.next('warmed') : undefined;

    const warmupArgs: string[] = [];
    if (warmup.length > 0) {
      const warmupFile = path.join(dir, 'warmup.json');
      writeFileSync(warmupFile, JSON.stringify(warmup));
      warmupArgs.push('--warmup', warmupFile);
    }
    const a = new Proc('a', ['--dir', dir, '--docs', docsFile, ...warmupArgs, '--url', url, '--batch', String(batchSize)]);
    procs.push(a);
    const aReady = await within(a.next('ready'));
    if (aReady.docCount !== n) throw new Error(`A holds ${aReady.docCount} of ${n} docs after the offline writes`);
    if (warmed) {
      const w = await within(warmed);
      log(`peer: warm-up round of ${warmup.length} docs done (B holds ${w.docCount})`);
    }
    log(`peer: A wrote ${n} docs offline; B ready (${pull} pull); A reconnects`);

    // ---- timed from here: A reconnects.
    const loadavg = os.loadavg()[0] ?? Number.NaN;
    const t0 = performance.now();
    const pushed = a.request({ type: 'push' }, 'pushed').then((report) => ({ report, at: performance.now() }));
    const converged = (
      pull === 'live'
        ? b.next('converged')
        : pushed.then(() => b.request({ type: 'pull' }, 'converged'))
    ).then((report) => ({ report, at: performance.now() }));
    const [push, conv] = await within(Promise.all([pushed, converged]));
    // ---- timing ends; everything below only checks.

    if (!push.report.ok || push.report.failures !== 0 || push.report.docsWritten !== n) {
      throw new Error(`A's push incomplete: ${JSON.stringify(push.report)}`);
    }
    const verified = await within(b.request({ type: 'verify' }, 'verified'));
    if (verified.docCount !== total || verified.digest !== expectedDigest) {
      throw new Error(`B holds ${verified.docCount} docs, digest ${verified.digest}; expected ${total}, ${expectedDigest}`);
    }
    const serverDone = await within(server.request({ type: 'finish' }, 'finished'));
    if (serverDone.docCount !== total) throw new Error(`server holds ${serverDone.docCount} of ${total} docs`);
    const aDone = await within(a.request({ type: 'finish' }, 'finished'));
    const bDone = await within(b.request({ type: 'finish' }, 'finished'));

    return {
      n,
      peer_push_s: round3((push.at - t0) / 1000),
      peer_converge_s: round3((conv.at - t0) / 1000),
      durability: pouchPeerDurability(serverMode),
      versions: pouchPeerVersions(),
      peer_setup:
        'server, A and B in 3 processes on this machine; HTTP/1.1 on 127.0.0.1; ' +
        (pull === 'live' ? 'B live-pulling before A reconnects' : 'B pulls once A has pushed'),
      peer_pull: pull,
      peer_batch_size: batchSize,
      peer_server_mode: serverMode,
      peer_peak_rss_mb: { server: serverDone.peakRssMb, a: aDone.peakRssMb, b: bDone.peakRssMb },
      peer_loadavg_1m: Math.round(loadavg * 100) / 100,
    };
  } finally {
    if (timer) clearTimeout(timer);
    for (const proc of procs) proc.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Standalone

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

function intOption(args: readonly string[], name: string, fallback: number): number {
  const raw = option(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} needs a positive integer`);
  return value;
}

async function main(args: readonly string[]): Promise<void> {
  const n = intOption(args, '--n', 10_000);
  const seed = intOption(args, '--seed', 1);
  const runs = intOption(args, '--runs', 1);
  const pullArg = option(args, '--pull') ?? 'live';
  if (pullArg !== 'live' && pullArg !== 'after') throw new Error('--pull is live or after');
  const modeArg = option(args, '--server-mode') ?? 'minimumForPouchDB';
  if (modeArg !== 'minimumForPouchDB' && modeArg !== 'fullCouchDB') throw new Error('--server-mode is minimumForPouchDB or fullCouchDB');
  const json = args.includes('--json');
  const log = json ? undefined : (line: string): void => console.error(line);

  const docs = makeCases(n, seed);
  const results: PouchPeerResult[] = [];
  for (let i = 0; i < runs; i++) {
    const result = await runPouchPeer(docs, { pull: pullArg, serverMode: modeArg, ...(log ? { log } : {}) });
    results.push(result);
    log?.(`peer run ${i + 1}/${runs}: push ${result.peer_push_s} s, converge ${result.peer_converge_s} s`);
  }
  const last = results[results.length - 1];
  if (!last) throw new Error('no run');
  const out = {
    ...last,
    seed,
    runs,
    peer_push_s: round3(median(results.map((r) => r.peer_push_s))),
    peer_converge_s: round3(median(results.map((r) => r.peer_converge_s))),
    ...(runs > 1
      ? {
          peer_push_s_runs: results.map((r) => r.peer_push_s),
          peer_converge_s_runs: results.map((r) => r.peer_converge_s),
          peer_peak_rss_mb_runs: results.map((r) => r.peer_peak_rss_mb),
          peer_loadavg_1m_runs: results.map((r) => r.peer_loadavg_1m),
        }
      : {}),
    bench_peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  console.log(json ? JSON.stringify(out) : JSON.stringify(out, null, 2));
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
