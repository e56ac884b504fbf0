import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { searchArticles, snippetOf } from '../../../src/main/core/features/kb/search';
import { deleteArticle, putArticle, titleInitials } from '../../../src/main/core/features/kb/store';
import { articleId, type ArticleRecord } from '../../../src/shared/domain/article';
import { kbQueryTerms } from '../../../src/shared/search/kb';
import { tempLocalDb, type TempLocalDb } from '../../helpers/local-db';

let t: TempLocalDb;
beforeEach(() => {
  t = tempLocalDb();
  for (const a of ARTICLES) putArticle(t.db, a);
});
afterEach(() => {
  t.close();
});

function article(key: string, language: 'zh' | 'en', title: string, body: string, extra: Partial<ArticleRecord> = {}): ArticleRecord {
  return {
    id: articleId(key, language),
    key,
    language,
    title,
    body,
    answerScript: extra.answerScript ?? `您好，关于${title}，我给您说明一下。`,
    categories: extra.categories ?? ['utility.heating'],
    tags: extra.tags ?? [],
    units: [],
    validFrom: extra.validFrom ?? null,
    validTo: extra.validTo ?? null,
    sources: [],
    version: 1,
    publishedAt: 1,
    publishedBy: 'system',
  };
}

const ARTICLES = [
  article('heating-temperature', 'zh', '供暖温度不达标如何处理', '采暖季居民室内温度不应低于 18 摄氏度。温度不达标的，可联系供热单位上门测温。'),
  article('heating-fee', 'zh', '供暖费收费标准', '居民供暖费按建筑面积计收。', { categories: ['utility.heating_fee_query'] }),
  article('water-outage', 'zh', '计划停水的查询与应急供水', '停水期间，可拨打自来水集团热线查询恢复时间。', { categories: ['utility.water_outage'], tags: ['没水', '停水'] }),
  article('residence-permit', 'zh', '居住证办理', '在京居住半年以上，可向居住地派出所申领居住证。', { categories: ['public_security.residence_permit'] }),
  article('residence-permit', 'en', 'Applying for a Beijing residence permit', 'Foreign and out-of-town residents living in Beijing for six months can apply.', { categories: ['public_security.residence_permit'] }),
  article('heating-temperature', 'en', 'Indoor heating below the standard', 'During the heating season indoor temperature must be at least 18 °C.'),
  article('old-season', 'zh', '2020 年冬季供暖延长通知', '因气温偏低，供暖延长至三月底。', { validTo: '2021-03-31' }),
];
const NOW = Date.UTC(2026, 11, 2);
const ids = (q: string, opts: Partial<Parameters<typeof searchArticles>[2]> = {}) => searchArticles(t.db, q, { limit: 5, now: NOW, ...opts }).map((h) => h.id);

describe('knowledge-base search', () => {
  it('finds an article as the caller says it, not as its title does', () => {
    expect(ids('暖气不热')[0]).toBe('heating-temperature:zh');
    expect(ids('家里没水了')[0]).toBe('water-outage:zh');
  });

  it('finds one- and two-character queries, title first', () => {
    expect(ids('水')[0]).toBe('water-outage:zh');
    expect(ids('停水')[0]).toBe('water-outage:zh');
    expect(ids('居住证')[0]).toBe('residence-permit:zh');
  });

  it('finds English, and by the pinyin initials of a title', () => {
    expect(ids('no heating')).toContain('heating-temperature:en');
    expect(ids('residence permit', { language: 'en' })).toEqual(['residence-permit:en']);
    expect(titleInitials('居住证办理')).toBe('jzzbl');
    expect(ids('jzz')[0]).toBe('residence-permit:zh');
  });

  it('filters by language, boosts the case’s category, and leaves expired articles out of suggestions only', () => {
    expect(ids('供暖', { language: 'zh' }).every((id) => id.endsWith(':zh'))).toBe(true);
    expect(ids('供暖', { categoryCode: 'utility.heating_fee_query' })[0]).toBe('heating-fee:zh');
    expect(ids('供暖延长')).toContain('old-season:zh');
    expect(ids('供暖延长', { validOnly: true })).not.toContain('old-season:zh');
    expect(searchArticles(t.db, '供暖延长', { limit: 5, now: NOW }).find((h) => h.id === 'old-season:zh')?.expired).toBe(true);
  });

  it('follows the articles: a retired one is gone from the index', () => {
    deleteArticle(t.db, 'water-outage:zh');
    expect(ids('停水')).not.toContain('water-outage:zh');
  });

  it('keeps the impact index exact through edits and retirements (as if built from scratch)', () => {
    const edited = { ...ARTICLES[2], title: '小区突然停水的报修', answerScript: '您好，小区停水请先问物业。', tags: ['没水了'], version: 2 } as ArticleRecord;
    putArticle(t.db, edited);
    putArticle(t.db, edited); // the same version again changes nothing
    deleteArticle(t.db, 'old-season:zh');
    expect(ids('计划')).not.toContain('water-outage:zh');
    expect(ids('小区停水')[0]).toBe('water-outage:zh');
    const fresh = tempLocalDb();
    try {
      // The same articles written once, in the same rowid order.
      for (const a of ARTICLES.filter((x) => x.id !== 'old-season:zh').map((x) => (x.id === edited.id ? edited : x))) putArticle(fresh.db, a);
      const dump = (db: typeof t.db) => ({
        postings: db.prepare('SELECT t.term, p.impact, p.doc FROM article_postings p JOIN article_terms t ON t.id = p.term ORDER BY t.term, p.doc').all(),
        terms: db.prepare('SELECT term, df FROM article_terms WHERE df > 0 ORDER BY term').all(),
      });
      expect(dump(t.db)).toEqual(dump(fresh.db));
    } finally {
      fresh.close();
    }
  });

  it('has nothing to search for in punctuation or English stop words', () => {
    expect(kbQueryTerms('，。！')).toEqual({ terms: [], wholes: [], initials: null });
    expect(ids('the')).toEqual([]);
  });

  it('cuts a snippet around what matched and marks it', () => {
    const a = ARTICLES[0];
    if (!a) throw new Error('no article');
    const s = snippetOf(a, '上门测温');
    expect(s.text).toContain('上门测温');
    const [from, to] = s.marks[0] ?? [0, 0];
    expect(s.text.slice(from, to)).toBe('上门测温');
  });
});
