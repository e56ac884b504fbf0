import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchArticles } from '../../../src/main/core/features/kb/search';
import { putArticle } from '../../../src/main/core/features/kb/store';
import { loadKbSeed } from '../../../src/server/reference/kb-seed';
import { DEFAULT_RESOURCES_DIR, shippedReferenceSet } from '../../../src/server/reference/reference-set';
import { articleId } from '../../../src/shared/domain/article';
import { tempLocalDb, type TempLocalDb } from '../../helpers/local-db';

/**
 * The knowledge base's relevance as a regression guard: the shipped articles, the labelled query
 * sets of tests/fixtures, the real search on a real local store. The floors sit just under what
 * `npm run bench:kb -- --json` measured (docs/knowledge-base.md): a change to the ranker, the
 * thesaurus or the articles that makes answers worse fails here.
 */
const FLOORS = {
  /** Measured 0.948 (226 queries, by article id). */
  labelledMrrAt5: 0.93,
  /** Measured 0.95 (80 queries by category, written by someone else before the articles). */
  blindCategoryHitAt3: 0.92,
};

interface Line {
  query: string;
  expected?: string[];
  expectedCategories?: string[];
}

function readLines(file: string): Line[] {
  return fs
    .readFileSync(path.resolve(__dirname, '../../fixtures', file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Line);
}

let t: TempLocalDb;
const NOW = Date.UTC(2026, 11, 3);
beforeAll(() => {
  t = tempLocalDb();
  const articles = loadKbSeed(DEFAULT_RESOURCES_DIR, shippedReferenceSet());
  t.db.transaction(() => {
    for (const a of articles) putArticle(t.db, { ...a, id: articleId(a.key, a.language), version: 1, publishedAt: 0, publishedBy: 'system:kb-seed' });
  })();
});
afterAll(() => t.close());

describe('the shipped knowledge base', () => {
  it('holds at least 150 Chinese articles and English versions of at least 40, each of a Chinese one', () => {
    const articles = loadKbSeed(DEFAULT_RESOURCES_DIR, shippedReferenceSet());
    const zh = new Set(articles.filter((a) => a.language === 'zh').map((a) => a.key));
    const en = articles.filter((a) => a.language === 'en');
    expect(zh.size).toBeGreaterThanOrEqual(150);
    expect(en.length).toBeGreaterThanOrEqual(40);
    expect(en.filter((a) => !zh.has(a.key)).map((a) => a.key)).toEqual([]);
  });
});

describe('knowledge-base relevance on the labelled query sets', () => {
  it('ranks the expected article first or near it for the project’s caller phrasings (MRR@5)', () => {
    const lines = readLines('kb-queries.jsonl');
    expect(lines.length).toBeGreaterThanOrEqual(120);
    let rr = 0;
    const misses: string[] = [];
    for (const line of lines) {
      const ids = searchArticles(t.db, line.query, { limit: 5, now: NOW }).map((h) => h.id);
      const rank = ids.findIndex((id) => line.expected?.includes(id));
      if (rank >= 0) rr += 1 / (rank + 1);
      else misses.push(line.query);
    }
    const mrr = rr / lines.length;
    expect(mrr, `MRR@5 ${mrr.toFixed(3)}; not in the top 5: ${misses.join(' | ')}`).toBeGreaterThanOrEqual(FLOORS.labelledMrrAt5);
  });

  it('puts an article of the expected category in the top 3 for a set written by someone else', () => {
    const lines = readLines('kb-queries-categories.jsonl');
    let hit = 0;
    for (const line of lines) {
      const top = searchArticles(t.db, line.query, { limit: 3, now: NOW });
      if (top.some((h) => h.categories.some((c) => line.expectedCategories?.some((e) => c === e || c.startsWith(`${e}.`))))) hit += 1;
    }
    expect(hit / lines.length).toBeGreaterThanOrEqual(FLOORS.blindCategoryHitAt3);
  });
});
