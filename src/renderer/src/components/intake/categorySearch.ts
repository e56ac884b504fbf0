import { pinyin } from 'pinyin-pro';
import type { ExtendedCategory as Category } from '../../../../shared/reference/categories';

/**
 * The category search of intake: a leaf is found by its Chinese or English name, its full pinyin
 * (`shigongzaosheng`), its pinyin initials (`sgzs` finds 施工噪声), its code, or its parent's
 * name; ranked by how well it matched, then by how often this operator files it. Pure: no DOM.
 */
export interface CategoryEntry {
  category: Category;
  parent: Category | null;
  /** Lower-cased keys the query is compared with. */
  zh: string;
  en: string;
  full: string;
  initials: string;
  code: string;
  parentKeys: string[];
}

export interface CategoryMatch {
  category: Category;
  parent: Category | null;
  /** Higher is better; the tier of the best way the query matched. */
  score: number;
  /** Which key matched (for the hint beside the result). */
  via: 'code' | 'name' | 'pinyin' | 'initials' | 'parent';
}

function pinyinKeys(text: string): { full: string; initials: string } {
  const han = text.match(/\p{Script=Han}/gu)?.join('') ?? '';
  if (han === '') return { full: '', initials: '' };
  return {
    full: pinyin(han, { toneType: 'none', type: 'array', v: true }).join('').toLowerCase(),
    initials: pinyin(han, { pattern: 'first', toneType: 'none', type: 'array' }).join('').toLowerCase(),
  };
}

/** Builds the search keys once per category list (pinyin is the costly part). */
export function indexCategories(all: readonly Category[]): CategoryEntry[] {
  const byCode = new Map(all.map((c) => [c.code, c]));
  return all
    .filter((c) => c.parent !== null)
    .map((category) => {
      const parent = category.parent === null ? null : (byCode.get(category.parent) ?? null);
      const keys = pinyinKeys(category.nameZh);
      const parentPinyin = parent ? pinyinKeys(parent.nameZh) : null;
      return {
        category,
        parent,
        zh: category.nameZh.toLowerCase(),
        en: category.nameEn.toLowerCase(),
        full: keys.full,
        initials: keys.initials,
        code: category.code.toLowerCase(),
        parentKeys: parent && parentPinyin ? [parent.nameZh.toLowerCase(), parent.nameEn.toLowerCase(), parentPinyin.full, parentPinyin.initials] : [],
      };
    });
}

const wordStarts = (text: string, q: string): boolean => text.split(/[\s/&,()-]+/).some((w) => w.startsWith(q));

/** The tier of the best match of a query on one entry; 0 when it does not match. */
function scoreOf(e: CategoryEntry, q: string): { score: number; via: CategoryMatch['via'] } | null {
  const flat = q.replace(/\s+/g, '');
  if (e.code === q) return { score: 100, via: 'code' };
  if (e.zh === q || e.en === q) return { score: 95, via: 'name' };
  if (e.zh.startsWith(q) || e.en.startsWith(q)) return { score: 90, via: 'name' };
  if (flat !== '' && e.initials === flat) return { score: 88, via: 'initials' };
  if (flat !== '' && e.full.startsWith(flat)) return { score: 85, via: 'pinyin' };
  if (flat !== '' && e.initials.startsWith(flat)) return { score: 82, via: 'initials' };
  if (e.code.startsWith(q)) return { score: 80, via: 'code' };
  if (e.zh.includes(q)) return { score: 75, via: 'name' };
  if (wordStarts(e.en, q)) return { score: 72, via: 'name' };
  if (flat.length >= 2 && e.full.includes(flat)) return { score: 65, via: 'pinyin' };
  if (flat.length >= 2 && e.initials.includes(flat)) return { score: 60, via: 'initials' };
  if (q.length >= 3 && (e.en.includes(q) || e.code.includes(q))) return { score: 55, via: 'name' };
  if (e.parentKeys.some((k) => k !== '' && (k.startsWith(flat) || (q.length >= 2 && k.includes(q))))) return { score: 30, via: 'parent' };
  return null;
}

/**
 * Leaves matching the query, best first: match tier, then this operator's use (count of cases in
 * the last 90 days), then the taxonomy's order. An empty query lists the operator's most used
 * categories first, then the rest in taxonomy order.
 */
export function searchCategories(entries: readonly CategoryEntry[], query: string, usage: Readonly<Record<string, number>>, limit = 8): CategoryMatch[] {
  const q = query.trim().toLowerCase();
  const scored: (CategoryMatch & { order: number; used: number })[] = [];
  entries.forEach((e, order) => {
    const hit = q === '' ? { score: 1, via: 'name' as const } : scoreOf(e, q);
    if (hit) scored.push({ category: e.category, parent: e.parent, score: hit.score, via: hit.via, order, used: usage[e.category.code] ?? 0 });
  });
  scored.sort((a, b) => b.score - a.score || b.used - a.used || a.order - b.order);
  return scored.slice(0, limit).map(({ category, parent, score, via }) => ({ category, parent, score, via }));
}
