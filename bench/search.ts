/**
 * `npm run bench:search -- --json [--cases 500000] [--queries 400] [--seed 1]`
 *
 * The workstation's local case search on a cache of realistic cases (bench/data.ts: real Beijing
 * districts, streets and communities, 600–800 bytes of Chinese description each), written through
 * the product's own write path (putCaseView, which keeps the search keys and the full-text index),
 * then a mixed query set timed one query at a time, as the operator's keystrokes would run them:
 * case numbers (whole and last digits), phones (first and last digits), addresses and
 * descriptions in 1-, 2- and 3+-character Chinese, English words, and misses. Beside it, in the
 * same run on the same file, the plain scan a search without an index does (`LIKE '%q%'` over
 * number, phone, address and description, newest first, LIMIT 50). One JSON line.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openLocalDb, type LocalDb } from '../src/main/core/store/db';
import { putCaseView } from '../src/main/core/features/cases/store';
import { searchCases } from '../src/main/core/features/cases/search';
import { freshLifecycle, type CaseRecord } from '../src/shared/domain/case';
import { generateCases, Rng, type BenchCase } from './data';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} must be a positive integer`);
  return v;
}

const N = arg('cases', 500_000);
const QUERIES = arg('queries', 400);
const SEED = arg('seed', 1);
const LIMIT = 50;

function record(c: BenchCase, i: number): CaseRecord {
  return {
    ...freshLifecycle(),
    ...c,
    status: i % 7 === 0 ? 'closed' : 'registered',
    channel: 'phone',
    createdBy: 'u1',
    team: 'team-a',
    station: 'S0001',
    updatedAt: c.createdAt,
    assignee: 'u1',
    rev: 1,
    timeline: [],
  };
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? 0;
}

/** Substrings of the generated text: what an operator would type to find a case again. */
function queryMix(sample: BenchCase[], rng: Rng, count: number): { kind: string; q: string }[] {
  const han = (s: string) => s.replace(/[^\u4e00-\u9fff]/gu, '');
  const slice = (s: string, len: number) => {
    const start = rng.int(0, Math.max(0, s.length - len));
    return s.slice(start, start + len);
  };
  const kinds: [string, (c: BenchCase) => string][] = [
    ['number', (c) => c.number],
    ['number_tail', (c) => c.number.slice(-4)],
    ['phone', (c) => c.callerPhone],
    ['phone_head', (c) => c.callerPhone.slice(0, 7)],
    ['phone_tail', (c) => c.callerPhone.slice(-4)],
    ['zh_1', (c) => slice(han(c.description), 1)],
    ['zh_2', (c) => slice(han(c.description), 2)],
    ['zh_2_address', (c) => slice(han(c.address), 2)],
    ['zh_3plus', (c) => slice(han(c.description), rng.int(3, 6))],
    ['zh_address', (c) => slice(han(c.address), rng.int(3, 5))],
    ['zh_two_words', (c) => `${slice(han(c.address), 2)} ${slice(han(c.description), 2)}`],
    ['english', () => rng.pick(['noise', 'water', 'heating', 'parking', 'construct', 'leak'])],
    ['miss', () => rng.pick(['量子纠缠', 'zzzz', '99999999'])],
  ];
  const out: { kind: string; q: string }[] = [];
  for (let i = 0; i < count; i += 1) {
    const entry = kinds[i % kinds.length];
    if (!entry) continue;
    const [kind, make] = entry;
    out.push({ kind, q: make(rng.pick(sample)) });
  }
  return out;
}

/** The scan a search without an index does. */
function likeScan(db: LocalDb, q: string): number {
  const pattern = `%${q.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
  return db
    .prepare(
      `SELECT rowid FROM cases WHERE number LIKE @p ESCAPE '\\' OR caller_phone LIKE @p ESCAPE '\\' OR address LIKE @p ESCAPE '\\' OR description LIKE @p ESCAPE '\\'
       ORDER BY rowid DESC LIMIT ${LIMIT}`,
    )
    .all({ p: pattern }).length;
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-search-'));
  const file = path.join(dir, 'workstation.sqlite');
  try {
    const db = openLocalDb(file);
    const sample: BenchCase[] = [];
    const rng = new Rng(SEED + 17);
    const t0 = performance.now();
    let i = 0;
    const gen = generateCases(N, SEED);
    // The product's write path, in pages of 1,000 as a pull applies them.
    for (;;) {
      const page: BenchCase[] = [];
      for (let k = 0; k < 1000; k += 1) {
        const next = gen.next();
        if (next.done) break;
        page.push(next.value);
      }
      if (page.length === 0) break;
      db.transaction(() => {
        for (const c of page) {
          putCaseView(db, record(c, i), false);
          if (rng.chance(2000 / N)) sample.push(c);
          i += 1;
        }
      })();
    }
    const buildS = (performance.now() - t0) / 1000;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    const pages = (name: string) => (db.prepare('SELECT COALESCE(SUM(pgsize), 0) AS b FROM dbstat WHERE name LIKE ?').get(name) as { b: number }).b;
    const indexBytes = pages('case_search%') + pages('cases_phone%') + pages('cases_number_rev');
    const fileBytes = fs.statSync(file).size;

    const queries = queryMix(sample, rng, QUERIES);
    // Warm the page cache the way an operator's first searches of a shift would.
    for (const { q } of queries.slice(0, 20)) searchCases(db, q, LIMIT);
    const ours: number[] = [];
    const byKind = new Map<string, number[]>();
    let hits = 0;
    for (const { kind, q } of queries) {
      const s = performance.now();
      const found = searchCases(db, q, LIMIT);
      const ms = performance.now() - s;
      ours.push(ms);
      byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
      if (found.cases.length > 0) hits += 1;
    }
    const like: number[] = [];
    // The scan is slow: a third of the same queries, in the same order, is enough for its spread.
    for (const { q } of queries.filter((_, k) => k % 3 === 0)) {
      const s = performance.now();
      likeScan(db, q);
      like.push(performance.now() - s);
    }
    ours.sort((a, b) => a - b);
    like.sort((a, b) => a - b);
    const r = (x: number) => Math.round(x * 100) / 100;
    console.log(
      JSON.stringify({
        bench: 'search',
        cases: N,
        queries: queries.length,
        limit: LIMIT,
        p50_ms: r(percentile(ours, 50)),
        p95_ms: r(percentile(ours, 95)),
        max_ms: r(ours[ours.length - 1] ?? 0),
        queries_with_results: hits,
        by_kind_p95_ms: Object.fromEntries([...byKind].map(([k, v]) => [k, r(percentile([...v].sort((a, b) => a - b), 95))])),
        like_queries: like.length,
        like_p50_ms: r(percentile(like, 50)),
        like_p95_ms: r(percentile(like, 95)),
        index_bytes: indexBytes,
        index_mb: r(indexBytes / 2 ** 20),
        file_mb: r(fileBytes / 2 ** 20),
        bytes_per_case: Math.round(fileBytes / N),
        build_s: r(buildS),
        build_cases_per_s: Math.round(N / buildS),
        page_size: pageSize,
        setup: 'ours: SQLite FTS5 (unicode61, one token per Han character; phrase queries for Chinese runs, prefix for the last Latin word) + B-tree indexes on phone digits, reversed phone and reversed case number; every query ORDER BY rowid DESC LIMIT 50. peer: the same table scanned with LIKE %q% over number, phone, address and description, ORDER BY rowid DESC LIMIT 50.',
        machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
      }),
    );
    db.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
