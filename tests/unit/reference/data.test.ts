import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Category } from '../../../src/shared/domain/reference';
import { DEFAULT_RATES_CONFIG, RatesConfig } from '../../../src/shared/domain/rates';
import { CategoriesFile, Geography, RoutingFile, SlaPolicy, UnitsFile, currentCategoryCode, geographyCounts, isLeaf, validateBundle } from '../../../src/shared/reference';
import { REFERENCE_FILES, cloneBundle, fileSize, loadBundle, rawBundle } from './load';

const OFFICIAL_DISTRICTS: [string, string, string][] = [
  ['110101', '东城区', 'Dongcheng District'],
  ['110102', '西城区', 'Xicheng District'],
  ['110105', '朝阳区', 'Chaoyang District'],
  ['110106', '丰台区', 'Fengtai District'],
  ['110107', '石景山区', 'Shijingshan District'],
  ['110108', '海淀区', 'Haidian District'],
  ['110109', '门头沟区', 'Mentougou District'],
  ['110111', '房山区', 'Fangshan District'],
  ['110112', '通州区', 'Tongzhou District'],
  ['110113', '顺义区', 'Shunyi District'],
  ['110114', '昌平区', 'Changping District'],
  ['110115', '大兴区', 'Daxing District'],
  ['110116', '怀柔区', 'Huairou District'],
  ['110117', '平谷区', 'Pinggu District'],
  ['110118', '密云区', 'Miyun District'],
  ['110119', '延庆区', 'Yanqing District'],
];

/**
 * Leaf codes of the foundation's starter taxonomy, which other code and tests use. (Its
 * urban.noise overlapped noise.residential and was retired into it: see `retired` below.)
 */
const STARTER_LEAVES = [
  'urban.parking',
  'urban.sanitation',
  'utility.water_outage',
  'utility.power_outage',
  'utility.heating',
  'utility.gas_leak',
  'housing.property_mgmt',
  'housing.elevator_install',
  'labor.wage_arrears',
  'labor.social_insurance_query',
  'transport.bus_route_query',
  'transport.road_damage',
];

describe('reference files', () => {
  it('each parses with its schema', () => {
    const raw = rawBundle();
    expect(Geography.safeParse(raw.geography).success).toBe(true);
    expect(UnitsFile.safeParse(raw.units).success).toBe(true);
    expect(CategoriesFile.safeParse(raw.categories).success).toBe(true);
    expect(RoutingFile.safeParse(raw.routing).success).toBe(true);
    expect(SlaPolicy.safeParse(raw.sla).success).toBe(true);
    expect(RatesConfig.safeParse(raw.rates).success).toBe(true);
  });

  it('rates.json states the defaults docs/rates.md documents', () => {
    const { $comment: _comment, ...shipped } = RatesConfig.parse(rawBundle().rates);
    expect(shipped).toEqual(DEFAULT_RATES_CONFIG);
  });

  it('cross-reference cleanly', () => {
    expect(validateBundle(loadBundle())).toEqual([]);
  });

  it('the categories file still parses as the foundation shape the server seeds from', () => {
    const parsed = z.object({ categories: z.array(Category) }).parse(rawBundle().categories);
    expect(parsed.categories.length).toBe(loadBundle().categories.categories.length);
  });

  it('stay small enough to sync to workstations', () => {
    expect(fileSize(REFERENCE_FILES.geography)).toBeLessThan(400_000);
    expect(fileSize(REFERENCE_FILES.units)).toBeLessThan(200_000);
    expect(fileSize(REFERENCE_FILES.categories)).toBeLessThan(150_000);
  });
});

describe('geography', () => {
  const geo = loadBundle().geography;

  it('has Beijing’s 16 districts with their official names', () => {
    expect(geo.districts.map((d) => [d.code, d.nameZh, d.nameEn])).toEqual(OFFICIAL_DISTRICTS);
  });

  it('has the township-level units and communities of the NBS list', () => {
    const counts = geographyCounts(geo);
    // ~343 streets/towns/townships in current official data, plus a few special zones.
    expect(counts.streets).toBeGreaterThanOrEqual(330);
    expect(counts.streets).toBeLessThanOrEqual(360);
    expect(counts.communities).toBeGreaterThan(6_500);
    expect(counts.communities).toBeLessThan(9_000);
    for (const d of geo.districts) expect(d.streets.length, d.nameZh).toBeGreaterThan(5);
  });

  it('names streets in English by kind and communities after the place, not the committee', () => {
    const chaoyang = geo.districts.find((d) => d.code === '110105');
    expect(chaoyang?.streets.find((s) => s.code === '110105001')).toMatchObject({ nameZh: '建外街道', nameEn: 'Jianwai Subdistrict', kind: 'subdistrict' });
    expect(chaoyang?.streets.find((s) => s.nameZh === '南磨房地区')).toMatchObject({ nameEn: 'Nanmofang Area', kind: 'area' });
    const all = geo.districts.flatMap((d) => d.streets);
    expect(all.find((s) => s.nameZh === '大栅栏街道')?.nameEn).toBe('Dashilar Subdistrict');
    expect(all.find((s) => s.nameZh === '于家务回族乡')?.nameEn).toBe('Yujiawu Hui Ethnic Township');
    expect(all.filter((s) => s.nameEn === null)).toEqual([]);
    const names = all.flatMap((s) => s.communities.map(([, name]) => name));
    expect(names).toContain('南池子社区');
    expect(names.filter((n) => /(居民|村民)委员会|[居村]委会|虚拟/.test(n))).toEqual([]);
  });
});

describe('categories', () => {
  const categories = loadBundle().categories.categories;
  const leaves = categories.filter(isLeaf);

  it('has at least 60 leaves under a two-level taxonomy, with unique codes', () => {
    expect(leaves.length).toBeGreaterThanOrEqual(60);
    expect(new Set(categories.map((c) => c.code)).size).toBe(categories.length);
    const parents = new Set(categories.filter((c) => !isLeaf(c)).map((c) => c.code));
    for (const l of leaves) expect(parents.has(l.parent ?? ''), l.code).toBe(true);
  });

  it('keeps every starter leaf code', () => {
    const codes = new Set(leaves.map((c) => c.code));
    for (const code of STARTER_LEAVES) expect(codes.has(code), code).toBe(true);
  });

  it('is bilingual, and every leaf says what to ask at intake', () => {
    for (const c of categories) {
      expect(c.nameZh, c.code).toMatch(/\p{Script=Han}/u);
      expect(c.nameEn, c.code).toMatch(/^[A-Z][^\p{Script=Han}]+$/u);
      for (const q of c.intakeQuestions) {
        expect(q.labelZh, `${c.code}.${q.key}`).toMatch(/\p{Script=Han}/u);
        expect(q.labelEn, `${c.code}.${q.key}`).toMatch(/^[A-Z][^\p{Script=Han}]+$/u);
      }
    }
    for (const l of leaves) expect(l.intakeQuestions.length, l.code).toBeGreaterThan(0);
  });

  it('covers the SLA classes and marks policy questions for direct answer', () => {
    const byCode = new Map(categories.map((c) => [c.code, c]));
    expect(byCode.get('utility.gas_leak')?.slaClass).toBe('emergency');
    expect(byCode.get('utility.water_outage')?.slaClass).toBe('utility');
    expect(byCode.get('housing.elevator_install')?.slaClass).toBe('complex');
    expect(byCode.get('public_security.hukou_policy')?.directAnswer).toBe(true);
    expect(byCode.get('labor.wage_arrears')?.directAnswer).toBe(false);
    expect(new Set(leaves.map((l) => l.slaClass))).toEqual(new Set(['emergency', 'utility', 'general', 'complex']));
    expect(leaves.filter((l) => l.directAnswer).length).toBeGreaterThanOrEqual(10);
  });

  it('has one noise branch: every noise leaf is under 噪声污染, and urban.noise is retired into it', () => {
    const noisy = leaves.filter((l) => /噪/.test(l.nameZh) || /noise/i.test(l.nameEn));
    expect(noisy.map((l) => l.code).sort()).toEqual(['noise.commercial', 'noise.construction', 'noise.residential', 'noise.traffic']);
    expect(loadBundle().categories.retired).toEqual([{ code: 'urban.noise', into: 'noise.residential', nameZh: '噪音扰民', nameEn: 'Noise nuisance', since: '2026-12-03' }]);
    // The retired name stays findable by a search of the names.
    expect(leaves.find((l) => l.code === 'noise.residential')?.nameZh).toContain('噪音扰民');
    expect(currentCategoryCode('urban.noise', loadBundle().categories.retired)).toBe('noise.residential');
    expect(currentCategoryCode('noise.construction', loadBundle().categories.retired)).toBe('noise.construction');
  });

  it('has no two leaves with the same name, nor the same questions under two names of one meaning', () => {
    const names = leaves.map((l) => l.nameZh);
    expect(new Set(names).size).toBe(names.length);
    const namesEn = leaves.map((l) => l.nameEn.toLowerCase());
    expect(new Set(namesEn).size).toBe(namesEn.length);
  });

  it('rejects a choice question without choices', () => {
    const raw = structuredClone(rawBundle().categories) as { categories: { intakeQuestions: { type: string; choices?: unknown }[] }[] };
    const withChoice = raw.categories.find((c) => c.intakeQuestions.some((q) => q.type === 'choice'));
    const q = withChoice?.intakeQuestions.find((x) => x.type === 'choice');
    expect(q).toBeDefined();
    if (q) delete q.choices;
    expect(CategoriesFile.safeParse(raw).success).toBe(false);
  });
});

describe('units', () => {
  const { units, geography } = loadBundle();

  it('has a government per district, an office per street, the bureaus and the utility companies', () => {
    const kinds = (k: string): number => units.units.filter((u) => u.kind === k).length;
    expect(kinds('district_gov')).toBe(16);
    // Nine departments in each district (urban enforcement, housing, market, ecology, labour, traffic police, education, health, civil affairs).
    expect(kinds('district_dept')).toBe(16 * 9);
    expect(kinds('street_office')).toBe(geographyCounts(geography).streets);
    expect(kinds('bureau')).toBeGreaterThanOrEqual(14);
    const ids = new Set(units.units.map((u) => u.id));
    for (const id of ['company.waterworks', 'company.power', 'company.gas', 'company.heating', 'bureau.hrss', 'bureau.traffic_police', 'bureau.hotline_centre'])
      expect(ids.has(id), id).toBe(true);
    expect(units.units.find((u) => u.id === 'street.110105001')).toMatchObject({ nameZh: '建外街道办事处', nameEn: 'Jianwai Subdistrict Office', districtCode: '110105' });
  });

  it('holds key ids only, never a key', () => {
    for (const u of units.units) {
      expect(u.apiKeyId).toMatch(/^uk_[a-z0-9_]+$/);
      expect(Object.keys(u).filter((k) => /secret|token|hash|^apiKey$/i.test(k))).toEqual([]);
    }
  });
});

describe('validateBundle', () => {
  const codesOf = (b: ReturnType<typeof cloneBundle>): string[] => validateBundle(b).map((p) => `${p.file}:${p.code}`);

  it('finds a rule naming a unit or category that does not exist', () => {
    const b = cloneBundle();
    const [first, second] = b.routing.rules;
    if (!first || !second) throw new Error('rules expected');
    first.unit = 'company.nowhere';
    second.categories = ['no.such_category'];
    expect(codesOf(b)).toEqual(expect.arrayContaining(['routing:unknown_unit', 'routing:unknown_category']));
  });

  it('finds a rule sending a category to a unit that does not cover it', () => {
    const b = cloneBundle();
    b.routing.rules.push({ id: 'wrong', categories: ['labor.wage_arrears'], unit: 'company.waterworks', priority: 0, reason: { zh: '错', en: 'Wrong' } });
    expect(codesOf(b)).toEqual(['routing:unit_does_not_cover']);
  });

  it('finds a leaf whose parent is missing, and a street outside its district', () => {
    const b = cloneBundle();
    const leaf = b.categories.categories.find((c) => c.code === 'urban.parking');
    if (leaf) leaf.parent = 'gone';
    const street = b.geography.districts[0]?.streets[0];
    if (street) street.code = '110102999';
    const codes = codesOf(b);
    expect(codes).toContain('categories:unknown_parent');
    expect(codes).toContain('geography:wrong_parent');
    expect(codes).toContain('units:unknown_street');
    expect(codes).toContain('units:missing_office');
  });

  it('finds unit coverage naming unknown codes and duplicate ids', () => {
    const b = cloneBundle();
    const bureau = b.units.units.find((u) => u.id === 'bureau.hrss');
    const first = b.units.units[0];
    if (!bureau || !first) throw new Error('units expected');
    bureau.covers = { districts: ['119999'], streets: ['119999001'], categories: ['labor.nothing'] };
    b.units.units.push({ ...first });
    expect(codesOf(b)).toEqual(
      expect.arrayContaining(['units:unknown_district', 'units:unknown_street', 'units:unknown_category', 'units:duplicate_id', 'units:duplicate_api_key_id']),
    );
  });

  it('finds a retired code still offered, or moved into a parent or a code that does not exist', () => {
    const b = cloneBundle();
    b.categories.retired.push(
      { code: 'urban.parking', into: 'noise.residential', nameZh: '停车', nameEn: 'Parking', since: '2026-12-03' },
      { code: 'old.a', into: 'noise', nameZh: '甲', nameEn: 'A', since: '2026-12-03' },
      { code: 'old.b', into: 'no.such_leaf', nameZh: '乙', nameEn: 'B', since: '2026-12-03' },
    );
    expect(codesOf(b)).toEqual(['categories:retired_still_offered', 'categories:not_a_leaf', 'categories:unknown_category']);
  });

  it('finds a district without the department a rule sends cases to, or one that does not cover the category', () => {
    const b = cloneBundle();
    b.units.units = b.units.units.filter((u) => u.id !== 'dept.110119.market');
    const hrss = b.units.units.find((u) => u.id === 'dept.110101.hrss');
    if (!hrss) throw new Error('dept.110101.hrss expected');
    hrss.covers.categories = ['education'];
    const problems = validateBundle(b);
    expect(problems.filter((p) => p.code === 'missing_department').map((p) => p.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('district 110119 has no market department')]),
    );
    expect(problems.filter((p) => p.code === 'unit_does_not_cover').map((p) => p.message)).toEqual([expect.stringContaining('dept.110101.hrss does not cover labor')]);
  });
});
