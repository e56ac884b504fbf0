import os from 'node:os';
import { parseArgs } from 'node:util';
import { makeCases } from './data';
import { runPouchPeer } from './peer-pouchdb';
import { runOursPush } from './ours-push';
import { runInitialSync } from './initial-sync';
import { runFanout } from './fanout';
import { median, round } from './lib';
import { benchEncrypts } from './store-key';

/**
 * `npm run bench:sync -- --json`: ours beside PouchDB 9 ↔ express-pouchdb on the same machine, in
 * the same run, with the same cases (`--rounds` of each, medians); then initial sync and fan-out.
 * Prints one JSON line. `--encrypt` (or HOTLINE_BENCH_ENCRYPT=1): the workstations' stores are SQLCipher files.
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
      rounds: { type: 'string', default: '3' },
      skip: { type: 'string', multiple: true, default: [] },
      /** Every workstation store a SQLCipher file (as in use); without it plain SQLite, to compare. */
      encrypt: { type: 'boolean', default: false },
    },
  });
  if (values.encrypt) process.env.HOTLINE_BENCH_ENCRYPT = '1';
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
    workstation_store: benchEncrypts() ? 'SQLCipher 4 (better-sqlite3-multiple-ciphers, raw 256-bit key)' : 'plain SQLite',
  };

  // Rounds: each a fresh peer and a fresh ours on the same cases, the order alternating from round
  // to round; the figures are the medians over the rounds (each round's are printed too). On this
  // kind of machine one run varies by ±15 % or more, for both systems alike.
  const rounds = Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds needs a whole number ≥ 1, not ${values.rounds}`);
  const peerRounds: Awaited<ReturnType<typeof runPouchPeer>>[] = [];
  const oursRounds: Awaited<ReturnType<typeof runOursPush>>[] = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? (['peer', 'ours'] as const) : (['ours', 'peer'] as const);
    for (const system of order) {
      if (skip.has(system)) continue;
      if (system === 'peer') {
        say(`round ${r + 1}/${rounds} peer: PouchDB ↔ express-pouchdb, ${n} docs …`);
        peerRounds.push(await runPouchPeer(cases, { warmup }));
      } else {
        say(`round ${r + 1}/${rounds} ours: ${n} cases offline on A, reconnect …`);
        oursRounds.push(await runOursPush(cases, warmup));
      }
    }
  }
  out.rounds = rounds;
  const firstPeer = peerRounds[0];
  if (firstPeer) {
    Object.assign(out, {
      peer_push_s: round(median(peerRounds.map((p) => p.peer_push_s))),
      peer_converge_s: round(median(peerRounds.map((p) => p.peer_converge_s))),
      peer_durability: firstPeer.durability,
      peer_versions: firstPeer.versions,
      peer_setup: firstPeer.peer_setup,
    });
  }
  if (oursRounds.length > 0) {
    const converge = median(oursRounds.map((o) => o.converge_s));
    Object.assign(out, {
      push_s: round(median(oursRounds.map((o) => o.push_s))),
      converge_s: round(converge),
      a_confirmed_s: round(median(oursRounds.map((o) => o.a_confirmed_s))),
      durability:
        'server: SQLite WAL, synchronous=FULL (fsync before every acknowledged push batch); workstations: SQLite WAL, synchronous=FULL for every local save (fsynced before the operator is told it is saved), NORMAL for pulled pages and pokes (atomic through the WAL with their cursors, not fsynced: a power cut can lose the last of them whole, and they are pulled again)',
      setup: 'server process (tsx src/server/cli.ts, SQLite file); workstations A and B: WorkstationCore in the bench process; A behind the loopback fault proxy in a thread of its own (bench/link.ts), cut until t0; B caught up and idle at t0',
    });
    if (typeof out.peer_converge_s === 'number') out.ratio = round(out.peer_converge_s / converge, 2);
  }
  if (rounds > 1) {
    out.each_round = Array.from({ length: rounds }, (_, r) => {
      const o = oursRounds[r];
      const p = peerRounds[r];
      return {
        ...(o ? { push_s: round(o.push_s), converge_s: round(o.converge_s) } : {}),
        ...(p ? { peer_push_s: round(p.peer_push_s), peer_converge_s: round(p.peer_converge_s) } : {}),
        ...(o && p ? { ratio: round(p.peer_converge_s / o.converge_s, 2) } : {}),
      };
    });
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
