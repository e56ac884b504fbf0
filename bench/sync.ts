import os from 'node:os';
import { parseArgs } from 'node:util';
import { makeCases } from './data';
import { runPouchPeer } from './peer-pouchdb';
import { runOursPush } from './ours-push';
import { runInitialSync } from './initial-sync';
import { runFanout } from './fanout';
import { round } from './lib';

/**
 * `npm run bench:sync -- --json`: ours beside PouchDB 9 ↔ express-pouchdb on the same machine, in
 * the same run, with the same cases; then initial sync and fan-out. Prints one JSON line.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      n: { type: 'string', default: '10000' },
      initial: { type: 'string', default: '100000' },
      fanout: { type: 'string', default: '2000' },
      seed: { type: 'string', default: '1' },
      warmup: { type: 'string', default: '2000' },
      skip: { type: 'string', multiple: true, default: [] },
    },
  });
  const n = Number(values.n);
  const say = (line: string) => {
    if (!values.json) console.error(line);
  };
  const skip = new Set(values.skip);
  const cases = makeCases(n, Number(values.seed));
  // Other cases (another seed: other ids), replicated the same way through both systems before
  // either clock starts: both are measured as servers that have served traffic, not as processes
  // started a moment ago whose code the JIT has not compiled yet. `--warmup 0` measures them cold.
  const warmupN = Number(values.warmup);
  if (!Number.isInteger(warmupN) || warmupN < 0) throw new Error(`--warmup needs a whole number of cases (0 for none), not ${values.warmup}`);
  const warmup = warmupN > 0 ? makeCases(warmupN, Number(values.seed) + 1_000_003) : [];
  const out: Record<string, unknown> = {
    n,
    warmup_n: warmupN,
    warmup: warmupN > 0 ? 'before t0, both systems replicated warmup_n other cases A → server → B the same way as the n measured' : 'none: both measured cold',
    machine: { cpus: os.cpus().length, node: process.versions.node },
  };

  if (!skip.has('peer')) {
    say(`peer: PouchDB ↔ express-pouchdb, ${n} docs …`);
    const peer = await runPouchPeer(cases, { warmup });
    Object.assign(out, {
      peer_push_s: round(peer.peer_push_s),
      peer_converge_s: round(peer.peer_converge_s),
      peer_durability: peer.durability,
      peer_versions: peer.versions,
      peer_setup: peer.peer_setup,
    });
  }
  if (!skip.has('ours')) {
    say(`ours: ${n} cases offline on A, reconnect …`);
    const ours = await runOursPush(cases, warmup);
    Object.assign(out, {
      push_s: round(ours.push_s),
      converge_s: round(ours.converge_s),
      a_confirmed_s: round(ours.a_confirmed_s),
      durability:
        'server: SQLite WAL, synchronous=FULL (fsync before every acknowledged push batch); workstations: SQLite WAL, synchronous=FULL for every local save (fsynced before the operator is told it is saved), NORMAL for pulled pages and pokes (atomic through the WAL with their cursors, not fsynced: a power cut can lose the last of them whole, and they are pulled again)',
      setup: 'server process (tsx src/server/cli.ts, SQLite file); workstations A and B: WorkstationCore in the bench process; A behind the loopback fault proxy in a thread of its own (bench/link.ts), cut until t0; B caught up and idle at t0',
    });
    if (typeof out.peer_converge_s === 'number') out.ratio = round(out.peer_converge_s / ours.converge_s, 2);
  }
  if (!skip.has('initial')) {
    const m = Number(values.initial);
    say(`initial sync: ${m} cases into a fresh workstation …`);
    const r = await runInitialSync(m);
    Object.assign(out, { initial_sync_n: m, initial_sync_s: round(r.initial_sync_s), initial_sync_peak_rss_mb: round(r.initial_sync_peak_rss_mb, 1) });
  }
  if (!skip.has('fanout')) {
    const f = Number(values.fanout);
    say(`fan-out: ${f} workstations in one scope …`);
    const r = await runFanout(f);
    Object.assign(out, {
      fanout_n: f,
      fanout_p50_ms: round(r.fanout_p50_ms, 1),
      fanout_p99_ms: round(r.fanout_p99_ms, 1),
      raw_broadcast_p50_ms: round(r.raw_broadcast_p50_ms, 1),
      raw_broadcast_p99_ms: round(r.raw_broadcast_p99_ms, 1),
      fanout_clients:
        'socket.io-client WebSockets in 2 processes, each validating the poke (zod) and keeping its inline change; a real workstation applies it in its own SQLite on its own PC',
    });
  }
  console.log(JSON.stringify(out));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
