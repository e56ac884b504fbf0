import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CategoriesFile } from '../../../src/shared/reference/categories';
import { indexCategories, searchCategories } from '../../../src/renderer/src/components/intake/categorySearch';

// The shipped taxonomy, searched as the intake combobox searches it.
const seed = CategoriesFile.parse(JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../resources/seed/categories.json'), 'utf8')));
const entries = indexCategories(seed.categories);
const top = (q: string, usage: Record<string, number> = {}) => searchCategories(entries, q, usage)[0]?.category.code;
const codes = (q: string, usage: Record<string, number> = {}) => searchCategories(entries, q, usage, 50).map((m) => m.category.code);

describe('category search', () => {
  it('finds 施工噪声 by pinyin initials, full pinyin, Chinese, English and code', () => {
    expect(top('sgzs')).toBe('noise.construction');
    expect(top('shigongzaosheng')).toBe('noise.construction');
    expect(top('shigong zao')).toBe('noise.construction');
    expect(top('施工噪声')).toBe('noise.construction');
    expect(top('construction noise')).toBe('noise.construction');
    expect(top('noise.construction')).toBe('noise.construction');
  });

  it('lists only leaves, never a parent group', () => {
    const parents = new Set(seed.categories.filter((c) => c.parent === null).map((c) => c.code));
    expect(codes('').some((c) => parents.has(c))).toBe(false);
    expect(codes('噪声').length).toBeGreaterThan(1);
  });

  it('ranks by match first, then by this operator’s usage', () => {
    // 交通噪声, 施工噪声 … all contain 噪声 (the same tier): usage decides among them.
    const tier = searchCategories(entries, '噪声', {}, 50).filter((m) => m.score === 75);
    expect(tier.length).toBeGreaterThan(2);
    const last = tier.at(-1)?.category.code ?? '';
    expect(codes('噪声')[0]).not.toBe(last);
    expect(codes('噪声', { [last]: 50 })[0]).toBe(last);
    // … but never lifts a weaker match over an exact one.
    expect(top('sgzs', { 'noise.traffic': 1000 })).toBe('noise.construction');
  });

  it('an empty query puts the most used categories first', () => {
    expect(top('', { 'noise.traffic': 3 })).toBe('noise.traffic');
  });

  it('finds nothing for nonsense', () => {
    expect(codes('qqqqxz')).toEqual([]);
  });
});
