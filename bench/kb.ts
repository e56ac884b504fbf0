/**
 * `npm run bench:kb -- --json [--queries FILE]… [--synthetic 50000]`
 *
 * Relevance and speed of the knowledge base's search on the shipped articles (resources/kb) and
 * labelled query sets — by default both tests/fixtures/kb-queries.jsonl (the project's, by
 * article id) and tests/fixtures/kb-queries-categories.jsonl (written by someone else, by
 * category); `--queries` (repeatable) names others. JSON lines of `{"query", "expected": [ids]}`
 * or `{"query", "expectedCategories": [codes]}`. Beside ours, MiniSearch over the same articles and
 * queries in the same run, set up as its best users set it up for Chinese (MINISEARCH_CONFIG,
 * printed). Then the latency of ours over a synthetic base of 50,000 articles made from the
 * shipped ones (`--synthetic 0` leaves it out). One JSON line: the first set's figures at the top
 * level, every set's under `sets`, and a further set's also at the top level under its name
 * (kb-queries-categories.jsonl → `categories_mrr_at_5`, …).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import MiniSearch from 'minisearch';
import { z } from 'zod';
import { openLocalDb } from '../src/main/core/store/db';
import { putArticle } from '../src/main/core/features/kb/store';
import { searchArticles, TOP_PER_TERM } from '../src/main/core/features/kb/search';
import { FIELDS } from '../src/main/core/store/article-index';
import { SYNONYM_WEIGHT } from '../src/shared/search/kb';
import { loadKbSeed } from '../src/server/reference/kb-seed';
import { DEFAULT_RESOURCES_DIR, shippedReferenceSet } from '../src/server/reference/reference-set';
import { articleId, type ArticleContent, type ArticleRecord } from '../src/shared/domain/article';
import { Rng } from './data';

const ROOT = path.resolve(__dirname, '..');
const K = 5;

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function argValues(name: string): string[] {
  return process.argv.flatMap((a, i) => (a === `--${name}` && process.argv[i + 1] !== undefined ? [process.argv[i + 1] ?? ''] : []));
}

const DEFAULT_SETS = ['tests/fixtures/kb-queries.jsonl', 'tests/fixtures/kb-queries-categories.jsonl'];

const QueryLine = z.union([
  z.object({ query: z.string().min(1), expected: z.array(z.string()).min(1) }),
  z.object({ query: z.string().min(1), expectedCategories: z.array(z.string()).min(1) }),
]);
type QueryLine = z.infer<typeof QueryLine>;

function readQueries(file: string): QueryLine[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l, i) => {
      const parsed = QueryLine.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`${file}:${i + 1}: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
}

function record(a: ArticleContent): ArticleRecord {
  return { ...a, id: articleId(a.key, a.language), version: 1, publishedAt: 0, publishedBy: 'bench' };
}

/** Whether a result answers the query: an expected article, or an article of an expected category (or below it). */
function hits(line: QueryLine, result: { id: string; categories: readonly string[] }): boolean {
  if ('expected' in line) return line.expected.includes(result.id);
  return result.categories.some((c) => line.expectedCategories.some((e) => c === e || c.startsWith(`${e}.`)));
}

interface Scores {
  mrr_at_5: number;
  recall_at_5: number;
  category_hit_at_3: number;
  p50_ms: number;
  p95_ms: number;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
}

function score(lines: QueryLine[], search: (q: string) => { id: string; categories: readonly string[] }[], byId: Map<string, ArticleRecord>): Scores {
  let rr = 0;
  let recall = 0;
  let catHit = 0;
  const times: number[] = [];
  for (const line of lines) {
    const t0 = performance.now();
    const results = search(line.query).slice(0, K);
    times.push(performance.now() - t0);
    const rank = results.findIndex((r) => hits(line, r));
    if (rank >= 0) rr += 1 / (rank + 1);
    if ('expected' in line) recall += line.expected.filter((id) => results.some((r) => r.id === id)).length / line.expected.length;
    else recall += rank >= 0 ? 1 : 0;
    // A hit at 3: an expected article, or one of an expected category (for id-labelled lines, the expected articles' categories).
    const cats = 'expected' in line ? line.expected.flatMap((id) => byId.get(id)?.categories ?? []) : line.expectedCategories;
    if (results.slice(0, 3).some((r) => hits(line, r) || r.categories.some((c) => cats.some((e) => c === e || c.startsWith(`${e}.`))))) catHit += 1;
  }
  times.sort((a, b) => a - b);
  const n = Math.max(1, lines.length);
  return { mrr_at_5: round(rr / n), recall_at_5: round(recall / n), category_hit_at_3: round(catHit / n), p50_ms: round(pct(times, 50), 2), p95_ms: round(pct(times, 95), 2) };
}

/**
 * MiniSearch's tokenizer for Chinese as its best users write it: the platform's word segmentation
 * (Intl.Segmenter, ICU's dictionary) for words, plus every run of Chinese characters as its
 * overlapping character pairs (a single character alone), so colloquial phrasings that the
 * dictionary splits differently still meet; NFKC and lower case.
 */
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/gu;
function segment(text: string): string[] {
  const folded = text.normalize('NFKC').toLowerCase();
  const out: string[] = [];
  for (const s of segmenter.segment(folded)) if (s.isWordLike) out.push(s.segment);
  for (const run of folded.match(HAN_RUN) ?? []) {
    const chars = Array.from(run);
    if (chars.length === 1) out.push(run);
    for (let i = 0; i + 1 < chars.length; i += 1) out.push(`${chars[i] ?? ''}${chars[i + 1] ?? ''}`);
  }
  return out;
}

const LATIN = /^[a-z0-9]+$/;
/** MiniSearch's options in this benchmark (printed with the results). */
const MINISEARCH_CONFIG = {
  version: '7',
  tokenize: 'Intl.Segmenter zh words + Chinese character pairs (single character alone), NFKC, lower case — documents and queries',
  fields: ['title', 'tags', 'answerScript', 'body', 'categories'],
  boost: { title: 3, tags: 2, answerScript: 1.5 },
  prefix: 'Latin terms of 3+ letters',
  fuzzy: '0.2 for Latin terms of 5+ letters',
  combineWith: 'OR',
} as const;

function miniSearch(articles: readonly ArticleRecord[]): MiniSearch<ArticleRecord> {
  const mini = new MiniSearch<ArticleRecord>({
    fields: [...MINISEARCH_CONFIG.fields],
    extractField: (doc, field) => {
      const v = (doc as unknown as Record<string, unknown>)[field];
      return Array.isArray(v) ? v.join(' ').replaceAll(/[._]/g, ' ') : typeof v === 'string' ? v : '';
    },
    tokenize: segment,
    searchOptions: {
      boost: { ...MINISEARCH_CONFIG.boost },
      prefix: (term) => LATIN.test(term) && term.length >= 3,
      fuzzy: (term) => (LATIN.test(term) && term.length >= 5 ? 0.2 : false),
      combineWith: MINISEARCH_CONFIG.combineWith,
      tokenize: segment,
    },
  });
  mini.addAll(articles);
  return mini;
}

function main(): void {
  const ref = shippedReferenceSet();
  const articles = loadKbSeed(DEFAULT_RESOURCES_DIR, ref).map(record);
  if (articles.length === 0) throw new Error('no articles in resources/kb');
  const byId = new Map(articles.map((a) => [a.id, a]));
  const files = (argValues('queries').length > 0 ? argValues('queries') : DEFAULT_SETS).map((f) => path.resolve(ROOT, f));
  const sets = files.map((file) => ({ file, lines: readQueries(file) }));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-kb-'));
  try {
    const db = openLocalDb(path.join(dir, 'kb.sqlite'));
    db.transaction(() => articles.forEach((a) => putArticle(db, a)))();
    const now = Date.now();
    const mini = miniSearch(articles);
    const results = sets.map(({ file, lines }) => ({
      query_file: path.relative(ROOT, file),
      queries: lines.length,
      ours: score(lines, (q) => searchArticles(db, q, { limit: K, now }), byId),
      minisearch: score(lines, (q) => mini.search(q).map((r) => ({ id: String(r.id), categories: byId.get(String(r.id))?.categories ?? [] })), byId),
    }));
    const flat: Record<string, number | string> = {};
    results.forEach((r, i) => {
      const name = i === 0 ? '' : `${path.basename(r.query_file, '.jsonl').replace(/^kb-queries-?/, '') || `set${i + 1}`}_`;
      for (const [k, v] of Object.entries(r.ours as Record<keyof Scores, number>)) flat[`${name}${k}`] = v;
      for (const [k, v] of Object.entries(r.minisearch as Record<keyof Scores, number>)) flat[`${name}minisearch_${k}`] = v;
      if (i === 0) flat.query_file = r.query_file;
    });
    const allLines = sets.flatMap((x) => x.lines);
    // `--misses`: the queries whose top 3 hold nothing expected, with what came instead (stderr).
    if (process.argv.includes('--misses')) {
      for (const line of allLines) {
        const top = searchArticles(db, line.query, { limit: 3, now });
        if (!top.some((r) => hits(line, r))) console.error(`miss ${line.query} → ${top.map((r) => r.id).join(', ') || '(nothing)'}`);
      }
    }

    // A synthetic base of the size a city's knowledge base reaches: the shipped articles as local
    // variants — the same matter for a district and street, a unit, a year — as big bases grow.
    const synthetic = Number(argValue('synthetic') ?? 50_000);
    const rng = new Rng(7);
    const streets = ref.bundle.geography.districts.flatMap((d) => d.streets.map((st) => ({ district: d.nameZh, street: st.nameZh })));
    const units = ref.bundle.units.units.map((u) => u.nameZh);
    const db50 = openLocalDb(path.join(dir, 'kb50.sqlite'));
    // A page cache that holds the index while it is built in one transaction (the store's default
    // 2 MB spills pages to the log on every article): building, not searching, is what it speeds.
    db50.pragma('cache_size = -131072');
    const buildStart = performance.now();
    db50.transaction(() => {
      for (let i = 0; i < synthetic; i += 1) {
        const base = rng.pick(articles);
        const place = rng.pick(streets);
        const unit = rng.pick(units);
        const year = 2015 + (i % 12);
        putArticle(db50, {
          ...base,
          id: `synthetic-${i}:${base.language}`,
          key: `synthetic-${i}`,
          title: `${place.district}${place.street}${base.title}（${year}年）`.slice(0, 120),
          body: `${base.body}\n\n本条适用于${place.district}${place.street}，由${unit}负责解释，${year}年起施行。`,
        });
      }
    })();
    const buildS = (performance.now() - buildStart) / 1000;
    const sizeMb = synthetic > 0 ? fs.statSync(path.join(dir, 'kb50.sqlite')).size / 1e6 : 0;
    // Wall time per query, and the CPU time the process spent on it (less moved by other work
    // on a shared machine; both printed). Every query once to warm the caches, then measured.
    const times: number[] = [];
    const cpu: number[] = [];
    if (synthetic > 0) {
      for (const line of allLines) searchArticles(db50, line.query, { limit: K, now });
      for (const line of allLines) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        searchArticles(db50, line.query, { limit: K, now });
        times.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
      }
    }
    times.sort((a, b) => a - b);
    cpu.sort((a, b) => a - b);
    db.close();
    db50.close();
    console.log(
      JSON.stringify({
        bench: 'kb',
        articles: articles.length,
        queries: results[0]?.queries ?? 0,
        ...flat,
        synthetic_articles: synthetic,
        p50_ms_50k: round(pct(times, 50), 2),
        p95_ms_50k: round(pct(times, 95), 2),
        p95_cpu_ms_50k: round(pct(cpu, 95), 2),
        build_s_50k: round(buildS, 1),
        db_mb_50k: round(sizeMb, 1),
        load_average: os.loadavg().map((x) => round(x, 1)),
        sets: results,
        setup: `ours: impact-ordered postings in SQLite (local migration 8) — Chinese character pairs (single characters in titles and tags), stemmed English words, pinyin initials of title and tag words; BM25F with fixed field lengths, weights title ${FIELDS.title.weight} / tags+categories ${FIELDS.tags.weight} / answer script ${FIELDS.script.weight} / body ${FIELDS.body.weight} / initials ${FIELDS.initials.weight}; caller-phrase thesaurus (shared/search/kb.ts) at weight ${SYNONYM_WEIGHT}; per term at most its best ${TOP_PER_TERM} postings (fewer for common terms and expansions); language of the query's script preferred.`,
        minisearch_config: MINISEARCH_CONFIG,
        machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, node ${process.version}`,
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
