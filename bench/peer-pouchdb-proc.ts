/**
 * One process of the PouchDB peer benchmark (see bench/peer-pouchdb.ts, which forks this file):
 *
 *   --role server  express-pouchdb over PouchDB/LevelDB, listening on 127.0.0.1:<free port>
 *   --role a       workstation A: writes the cases "offline" into local LevelDB, then pushes on request
 *   --role b       workstation B: pulls from the server into a fresh local LevelDB
 *
 * Each role runs in its own process, as on three machines, so the server and the two
 * workstations do not share one event loop (that would handicap the peer). The parent drives
 * them over the IPC channel with the messages typed below and does all the timing.
 */
import { readFileSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import PouchDB from 'pouchdb';
import expressPouchDB from 'express-pouchdb';
import { digestCases } from './data';
import type { BenchCase } from './data';

export type PullMode = 'live' | 'after';
export type ServerMode = 'minimumForPouchDB' | 'fullCouchDB';

/** Parent → child. */
export type Command =
  | { type: 'push' }
  | { type: 'pull' }
  | { type: 'verify' }
  | { type: 'finish' };

/** Child → parent. */
export type Report =
  | { type: 'ready'; port?: number; docCount?: number }
  | { type: 'pushed'; docsWritten: number; failures: number; ok: boolean }
  | { type: 'converged'; docCount: number }
  | { type: 'warmed'; docCount: number }
  | { type: 'verified'; docCount: number; digest: string }
  | { type: 'finished'; docCount?: number; peakRssMb: number }
  | { type: 'error'; message: string };

/** The document a case becomes in PouchDB: its id as `_id`, every other field as is. */
export function toPouchDoc(c: BenchCase): PouchDB.NewDoc {
  const { id, ...fields } = c;
  return { _id: id, ...fields };
}

function send(report: Report): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) {
      reject(new Error('peer-pouchdb-proc must be forked with an IPC channel'));
      return;
    }
    process.send(report, undefined, {}, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function arg(name: string): string {
  const at = process.argv.indexOf(name);
  const value = at === -1 ? undefined : process.argv[at + 1];
  if (value === undefined) throw new Error(`peer-pouchdb-proc: missing ${name}`);
  return value;
}

function onCommand(handler: (command: Command) => Promise<void>): void {
  process.on('message', (message: Command) => {
    handler(message).catch(fail);
  });
  // The parent went away: nothing left to do.
  process.on('disconnect', () => process.exit(0));
}

function fail(err: unknown): void {
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  send({ type: 'error', message }).then(
    () => process.exit(1),
    () => process.exit(1),
  );
}

async function finish(extra: { docCount?: number } = {}): Promise<never> {
  await send({ type: 'finished', peakRssMb: peakRssMb(), ...extra });
  process.exit(0);
}

async function runServer(dir: string, mode: ServerMode): Promise<void> {
  const dataDir = path.join(dir, 'server');
  mkdirSync(dataDir, { recursive: true });
  const ServerPouch = PouchDB.defaults({ prefix: dataDir + path.sep });
  // The central database exists before the workstations connect, as in production.
  const db = new ServerPouch('cases');
  await db.info();
  const app = expressPouchDB(ServerPouch, {
    mode,
    // Only used by fullCouchDB mode; keep its files out of the working directory.
    configPath: path.join(dir, 'config.json'),
    logPath: path.join(dir, 'log.txt'),
  });
  const server = await new Promise<ReturnType<typeof app.listen>>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  onCommand(async (command) => {
    if (command.type !== 'finish') throw new Error(`server: unexpected ${command.type}`);
    const info = await db.info();
    server.closeAllConnections();
    server.close();
    await finish({ docCount: info.doc_count });
  });
  await send({ type: 'ready', port });
}

async function writeLocal(local: PouchDB.Database, cases: readonly BenchCase[]): Promise<void> {
  for (let i = 0; i < cases.length; i += 500) {
    const results = await local.bulkDocs(cases.slice(i, i + 500).map(toPouchDoc));
    const failed = results.find((r) => 'error' in r);
    if (failed) throw new Error(`A: offline write failed: ${JSON.stringify(failed)}`);
  }
}

async function runA(dir: string, docsFile: string, warmupFile: string | undefined, url: string, batchSize: number): Promise<void> {
  const cases = JSON.parse(readFileSync(docsFile, 'utf8')) as BenchCase[];
  const warmup = warmupFile ? (JSON.parse(readFileSync(warmupFile, 'utf8')) as BenchCase[]) : [];
  const local = new PouchDB(path.join(dir, 'a'));
  const remote = new PouchDB(url);
  if (warmup.length > 0) {
    // A round before the measured one, the same way (offline writes, then one replication), so
    // that the server and both workstations have served traffic, as they have on a working day.
    await writeLocal(local, warmup);
    const result = await PouchDB.replicate(local, remote, { batch_size: batchSize });
    if (!result.ok || result.docs_written !== warmup.length) throw new Error(`A: warm-up push incomplete: ${JSON.stringify(result)}`);
  }
  // The operator's offline work: cases written locally in chunks while the server is unreachable.
  await writeLocal(local, cases);
  const info = await local.info();
  if (info.doc_count !== warmup.length + cases.length) throw new Error(`A: holds ${info.doc_count} of ${warmup.length + cases.length} docs`);
  onCommand(async (command) => {
    if (command.type === 'push') {
      const result = await PouchDB.replicate(local, remote, { batch_size: batchSize });
      await send({ type: 'pushed', docsWritten: result.docs_written, failures: result.doc_write_failures, ok: result.ok });
    } else if (command.type === 'finish') {
      await finish();
    } else {
      throw new Error(`A: unexpected ${command.type}`);
    }
  });
  await send({ type: 'ready', docCount: info.doc_count - warmup.length });
}

async function runB(dir: string, url: string, batchSize: number, n: number, warm: number, pull: PullMode): Promise<void> {
  const local = new PouchDB(path.join(dir, 'b'));
  const remote = new PouchDB(url);
  let convergedSent = 0;
  let warmedSent = 0;
  let live: PouchDB.Replication | undefined;
  let liveDone: Promise<unknown> = Promise.resolve();

  // Called after every batch B wrote; reports once, the first time B's LevelDB holds n docs.
  const checkConverged = async (): Promise<void> => {
    const info = await local.info();
    if (warm > 0 && info.doc_count >= warm && warmedSent++ === 0) await send({ type: 'warmed', docCount: info.doc_count });
    if (info.doc_count >= n && convergedSent++ === 0) await send({ type: 'converged', docCount: info.doc_count });
  };

  if (pull === 'live') {
    // B is online and subscribed before A reconnects, as an operator's workstation on shift is.
    await new Promise<void>((resolve, reject) => {
      const replication = PouchDB.replicate(remote, local, { live: true, batch_size: batchSize });
      live = replication;
      let ready = false;
      replication.on('paused', (err) => {
        if (err !== undefined && err !== null) {
          fail(err);
          return;
        }
        if (!ready) {
          ready = true;
          resolve();
        }
      });
      replication.on('change', () => {
        checkConverged().catch(fail);
      });
      replication.on('error', (err) => {
        if (ready) fail(err);
        else reject(err instanceof Error ? err : new Error(String(err)));
      });
      liveDone = new Promise((done) => {
        replication.on('complete', done);
      });
    });
  }

  onCommand(async (command) => {
    switch (command.type) {
      case 'pull': {
        const result = await PouchDB.replicate(remote, local, { batch_size: batchSize });
        if (!result.ok) throw new Error(`B: pull failed: ${JSON.stringify(result.errors)}`);
        await checkConverged();
        if (convergedSent === 0) throw new Error(`B: pull completed without all ${n} docs`);
        break;
      }
      case 'verify': {
        if (live) {
          live.cancel();
          await liveDone;
        }
        const all = await local.allDocs({ include_docs: true });
        const docs = all.rows.map((row) => {
          if (!row.doc) throw new Error(`B: ${row.id} without its document`);
          return row.doc;
        });
        await send({ type: 'verified', docCount: all.rows.length, digest: digestCases(docs, '_id') });
        break;
      }
      case 'finish':
        await finish();
        break;
      case 'push':
        throw new Error('B: unexpected push');
    }
  });
  await send({ type: 'ready' });
}

async function main(): Promise<void> {
  const role = arg('--role');
  const dir = arg('--dir');
  switch (role) {
    case 'server':
      await runServer(dir, arg('--mode') as ServerMode);
      break;
    case 'a':
      await runA(dir, arg('--docs'), process.argv.includes('--warmup') ? arg('--warmup') : undefined, arg('--url'), Number(arg('--batch')));
      break;
    case 'b':
      await runB(dir, arg('--url'), Number(arg('--batch')), Number(arg('--n')), Number(arg('--warm')), arg('--pull') as PullMode);
      break;
    default:
      throw new Error(`peer-pouchdb-proc: unknown role ${role}`);
  }
}

if (require.main === module) main().catch(fail);
