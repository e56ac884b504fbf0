import { indexTokens, queryParts } from './tokens';

/**
 * Text and queries for the knowledge base's full-text index (SQLite FTS5, `unicode61`), built for
 * how operators search during a call: colloquial Chinese of any length, English, pinyin initials.
 *
 * - Every run of Chinese characters is indexed as its characters AND its overlapping character
 *   pairs ("供暖温度" → 供 暖 温 度 供暖 暖温 温度). A query is the OR of its pairs (or its single
 *   character), so "暖气不热" finds what shares 暖气 or 不热, and BM25 ranks by how many and how
 *   rare; single characters are indexed too for 1-character queries.
 * - A small dictionary maps what callers say to what articles say (暖气 → 供暖, 供热; 不给工资 →
 *   拖欠工资): the gap between "暖气不热" and "供暖温度不达标" is vocabulary, not characters.
 * - Full-width letters and digits are folded (NFKC), Latin words lower-cased and matched by prefix.
 */

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/u;

/** Characters and overlapping pairs of a text's Chinese runs; Latin words as they are (lower case). */
export function gramTokens(text: string): string[] {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    out.push(...run);
    for (let i = 0; i + 1 < run.length; i += 1) out.push(`${run[i] ?? ''}${run[i + 1] ?? ''}`);
    run = [];
  };
  for (const token of indexTokens(text)) {
    if (CJK.test(token)) run.push(token);
    else {
      flush();
      out.push(token);
    }
  }
  flush();
  return out;
}

export function gramText(...fields: readonly (string | null | undefined)[]): string {
  return fields.flatMap((f) => (f ? gramTokens(f) : [])).join(' ');
}

/**
 * What callers say → what the knowledge base says. Each group is one meaning; a query that holds
 * one of its phrases also searches the others. Kept small and concrete: a thesaurus that grows
 * from the queries operators actually type (see docs/knowledge-base.md).
 */
export const SYNONYMS: readonly (readonly string[])[] = [
  ['暖气', '供暖', '供热', '采暖', 'heating'],
  ['不热', '温度不达标', '室温低', '不达标'],
  ['停暖', '停止供暖', '没暖气'],
  ['停水', '没水', '断水', '供水中断'],
  ['停电', '没电', '断电', '供电中断'],
  ['停气', '没气', '燃气中断'],
  ['漏水', '渗水', '滴水'],
  ['不给工资', '拖欠工资', '欠薪', '讨薪', '工资拖欠', 'wage'],
  ['社保', '社会保险'],
  ['医保', '医疗保险'],
  ['养老金', '退休金', '养老保险'],
  ['户口', '户籍'],
  ['居住证', '暂住证', 'residence permit'],
  ['身份证', '居民身份证', 'id card'],
  ['上学', '入学', '就读'],
  ['幼儿园', '入园', '托幼'],
  ['摇号', '小客车指标', '车牌指标', '购车指标'],
  ['罚单', '罚款', '交通违法', '违章', 'fine'],
  ['预付卡', '储值卡', '会员卡', '充值卡'],
  ['退钱', '退款', '退费'],
  ['物业', '物业公司', '物业服务'],
  ['电梯', '加装电梯'],
  ['停车', '车位', 'parking'],
  ['噪音', '噪声', '吵', 'noise'],
  ['结婚', '婚姻登记', 'marriage'],
  ['老人', '老年人', '养老'],
  ['垃圾', '垃圾分类'],
  ['狗', '犬', '养犬'],
  ['租房', '房屋租赁', '租赁'],
  ['公积金', '住房公积金'],
  ['水费', '水价'],
  ['电费', '电价'],
  ['取暖费', '供暖费', '热费'],
];

const LATIN_ONLY = /^[a-z]+$/;
/** English words that say nothing about the matter ("there is no heating"). */
const STOP_WORDS = new Set(['a', 'an', 'the', 'to', 'of', 'in', 'on', 'at', 'for', 'is', 'are', 'was', 'my', 'i', 'me', 'we', 'it', 'and', 'or', 'no', 'not', 'how', 'what', 'do', 'does', 'can', 'there', 'with', 'get', 'have', 'has']);

function quote(term: string): string {
  return `"${term.replaceAll('"', '""')}"`;
}

/** The terms a piece of query text searches for: its pairs, or its single character, or the word. */
function termsOf(text: string): string[] {
  const grams = gramTokens(text);
  const pairs = grams.filter((g) => Array.from(g).length === 2 && CJK.test(g));
  const singles = grams.filter((g) => Array.from(g).length === 1 && CJK.test(g));
  const words = grams.filter((g) => !CJK.test(g) && !STOP_WORDS.has(g));
  // A run of one character is searched as that character; longer runs by their pairs only
  // (their single characters match nearly everything and would drown the ranking).
  return [...(pairs.length > 0 ? pairs : singles), ...words];
}

/** The terms of an operator's query: its own and its synonyms' (Chinese pairs or characters, Latin words by prefix), and pinyin initials to try. */
export interface KbTerms {
  /** Chinese terms match exactly; Latin ones as prefixes. */
  terms: { text: string; prefix: boolean }[];
  initials: string | null;
}

export function kbTerms(query: string): KbTerms {
  const q = query.normalize('NFKC').toLowerCase().trim();
  const terms = new Set(q ? termsOf(q) : []);
  for (const group of SYNONYMS) if (group.some((phrase) => q.includes(phrase))) for (const phrase of group) for (const t of termsOf(phrase)) terms.add(t);
  const compact = q.replace(/\s+/g, '');
  return {
    terms: [...terms].map((t) => ({ text: t, prefix: !CJK.test(t) })),
    initials: LATIN_ONLY.test(compact) && compact.length <= 10 ? compact : null,
  };
}

/** The FTS5 MATCH expression of terms: any of them (OR), and the initials as a prefix of the titles' initials. */
export function matchOf(t: KbTerms): string | null {
  const parts = t.terms.map((x) => (x.prefix ? `${quote(x.text)}*` : quote(x.text)));
  if (t.initials) parts.push(`initials : ${quote(t.initials)}*`);
  return parts.length > 0 ? parts.join(' OR ') : null;
}

/**
 * The FTS5 MATCH expression for an operator's query, or null when there is nothing to search:
 * the OR of its terms and of its synonyms' terms (Latin words by prefix), and — for a short
 * Latin query — a prefix match on the titles' pinyin initials.
 */
export function kbQuery(query: string): string | null {
  return matchOf(kbTerms(query));
}

/** The runs and words of a query to mark in a snippet (each Chinese run whole, each Latin word). */
export function highlightTerms(query: string): string[] {
  return queryParts(query).map((p) => (p.kind === 'phrase' ? p.tokens.join('') : (p.tokens[0] ?? ''))).filter((t) => t.length > 0);
}
