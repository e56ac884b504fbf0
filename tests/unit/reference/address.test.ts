import { describe, expect, it } from 'vitest';
import { ADDRESS_CONFIRM_BELOW, AddressResolution, GeographyIndex, resolveAddress } from '../../../src/shared/reference';
import { loadBundle } from './load';

const geo = loadBundle().geography;
const index = new GeographyIndex(geo);

interface Expected {
  district?: string;
  street?: string;
  community?: string;
  minConfidence?: number;
  maxConfidence?: number;
}

// Realistic caller addresses; codes are the NBS codes in resources/geography/beijing.json.
const CASES: [string, Expected][] = [
  ['北京市朝阳区建外街道建国门外大街1号', { district: '110105', street: '110105001', minConfidence: 1 }],
  ['海淀区中关村大街27号', { district: '110108', street: '110108011', minConfidence: 0.5, maxConfidence: 0.9 }],
  ['东华门街道南池子大街', { district: '110101', street: '110101001', community: '110101001007' }],
  // 八里庄 is a street of both Chaoyang and Haidian: the district decides.
  ['海淀区八里庄街道', { district: '110108', street: '110108005', minConfidence: 1 }],
  ['北京市朝阳区八里庄西里100号楼', { district: '110105', street: '110105015' }],
  // 东风: an area of Chaoyang (also called 东风乡) and a street of Fangshan.
  ['朝阳区东风乡', { district: '110105', street: '110105030', minConfidence: 1 }],
  ['房山区东风街道', { district: '110111', street: '110111005', minConfidence: 1 }],
  // Names inside longer names are not mentions: 朝阳 in 朝阳门, 大兴 in 大兴庄镇.
  ['朝阳门内大街', { district: '110101', street: '110101007', maxConfidence: 0.5 }],
  ['平谷区大兴庄镇', { district: '110117', street: '110117111', minConfidence: 1 }],
  // A township-level 地区 is also called by its 镇/乡 name.
  ['大兴区旧宫镇', { district: '110115', street: '110115006', minConfidence: 1 }],
  // Districts merged in 2010 still appear in addresses.
  ['宣武区牛街', { district: '110102', street: '110102018' }],
  ['丰台区 马家堡 东路 12 号', { district: '110106', street: '110106015' }],
  ['昌平区马池口镇横桥村', { district: '110114', street: '110114003', community: '110114003208', minConfidence: 1 }],
  // A full village name alone places the address, with little confidence.
  ['横桥村', { district: '110114', street: '110114003', community: '110114003208', maxConfidence: 0.5 }],
  // A street of another district does not override the district the caller named.
  ['朝阳区北苑路', { district: '110105' }],
  ['通州区北苑', { district: '110112', street: '110112003' }],
  ['西城区', { district: '110102', maxConfidence: 0.5 }],
];

describe('resolveAddress', () => {
  it.each(CASES)('%s', (text, want) => {
    const r = index.resolve(text);
    expect(AddressResolution.safeParse(r).success).toBe(true);
    expect(r.district?.code).toBe(want.district);
    if (want.street !== undefined || want.community !== undefined) expect(r.street?.code).toBe(want.street);
    if (want.community !== undefined) expect(r.community?.code).toBe(want.community);
    if (want.street !== undefined) expect(r.street?.districtCode).toBe(want.district);
    expect(r.confidence).toBeGreaterThan(0);
    if (want.minConfidence !== undefined) expect(r.confidence).toBeGreaterThanOrEqual(want.minConfidence);
    if (want.maxConfidence !== undefined) expect(r.confidence).toBeLessThanOrEqual(want.maxConfidence);
  });

  it('resolves the Chaoyang street, not a same-named street of another district', () => {
    expect(index.resolve('朝阳区八里庄').street).toMatchObject({ code: '110105015', nameZh: '八里庄街道', nameEn: 'Balizhuang Subdistrict' });
    expect(index.resolve('朝阳区东风').street?.code).toBe('110105030');
    expect(index.resolve('房山区东风').street?.code).toBe('110111005');
  });

  it('names no street when a street name is shared and no district is given, and lists the readings', () => {
    const r = index.resolve('八里庄街道');
    expect(r.district).toBeUndefined();
    expect(r.street).toBeUndefined();
    expect(r.alternatives?.map((a) => a.streetCode).sort()).toEqual(['110105015', '110108005']);
  });

  it('finds nothing in text without a known place', () => {
    for (const text of ['我家楼上装修太吵了', '北京市', '', '   ']) {
      const r = index.resolve(text);
      expect(r).toEqual({ confidence: 0, matched: [] });
    }
  });

  it('needs a street or district before trusting a bare community name', () => {
    expect(index.resolve('南池子大街').community).toBeUndefined();
    expect(index.resolve('东城区南池子大街').community?.code).toBe('110101001007');
  });

  it('reports what it matched and where', () => {
    const r = index.resolve('北京市朝阳区建外街道建国门外大街1号');
    expect(r.matched).toEqual([
      { level: 'district', code: '110105', text: '朝阳区', index: 3 },
      { level: 'street', code: '110105001', text: '建外街道', index: 6 },
    ]);
  });

  it('the function form builds the index once per geography and agrees with it', () => {
    const text = '海淀区八里庄街道';
    expect(resolveAddress(text, geo)).toEqual(index.resolve(text));
    expect(resolveAddress(text, geo)).toEqual(resolveAddress(text, index));
  });

  it('looks places up by code', () => {
    expect(index.district('110105')?.nameEn).toBe('Chaoyang District');
    expect(index.street('110105001')?.nameZh).toBe('建外街道');
    expect(index.community('110101001007')?.nameZh).toBe('南池子社区');
    expect(index.street('110105')).toBeUndefined();
  });
});

describe('confidence', () => {
  it('is below the confirmation threshold for a lone bare name and above it for a named district and street', () => {
    expect(index.resolve('新华书店').confidence).toBeLessThan(ADDRESS_CONFIRM_BELOW);
    expect(index.resolve('前门大街').confidence).toBeLessThan(ADDRESS_CONFIRM_BELOW);
    expect(index.resolve('东城区前门大街').confidence).toBeGreaterThanOrEqual(ADDRESS_CONFIRM_BELOW);
    expect(index.resolve('东城区前门街道').confidence).toBe(1);
  });
});

describe('matched offsets', () => {
  it('point into the text as typed, spaces included', () => {
    const text = '丰台区 马家堡 东路 12 号';
    const r = index.resolve(text);
    expect(r.matched.map((m) => [m.text, m.index, text.slice(m.index, m.index + m.text.length)])).toEqual([
      ['丰台区', 0, '丰台区'],
      ['马家堡', 4, '马家堡'],
    ]);
  });
});

describe('locate', () => {
  // What the server stored before it had `locate`: the codes of the full resolution.
  const codesOf = (text: string) => {
    const r = index.resolve(text);
    return { districtCode: r.district?.code ?? r.street?.districtCode ?? null, streetCode: r.street?.code ?? null };
  };

  it('gives the district and street codes resolve gives, for every test address', () => {
    for (const [text] of CASES) expect(index.locate(text), text).toEqual(codesOf(text));
  });

  it('keeps only what equally good readings agree on, and nothing for text without a place', () => {
    expect(index.locate('八里庄街道')).toEqual({ districtCode: null, streetCode: null });
    expect(index.locate('朝阳区八里庄')).toEqual({ districtCode: '110105', streetCode: '110105015' });
    for (const text of ['我家楼上装修太吵了', '北京市', '', '   ']) expect(index.locate(text)).toEqual({ districtCode: null, streetCode: null });
  });

  it('reads through spaces as resolve does', () => {
    expect(index.locate('丰台区 马家堡 东路 12 号')).toEqual({ districtCode: '110106', streetCode: '110106015' });
  });

  it('treats a road word after a bare name as resolve does (中关村大街: the street, with less weight)', () => {
    expect(index.locate('中关村大街27号')).toEqual(codesOf('中关村大街27号'));
  });
});

describe('road words', () => {
  it('weigh a bare name less when a road word follows it, one or two characters long', () => {
    // 海淀区 (full, 3) + 中关村 (bare street, 1.5; 0.9 before a road word), out of 6.
    expect(index.resolve('海淀区中关村').confidence).toBe(0.75);
    expect(index.resolve('海淀区中关村东路').confidence).toBe(0.65);
    expect(index.resolve('海淀区中关村路').confidence).toBe(0.65);
    expect(index.resolve('海淀区中关村27号').confidence).toBe(0.75);
    // A road of the landmarks list is known as a whole (bare weight, 1.5, no road-word discount).
    expect(index.resolve('海淀区中关村大街').confidence).toBe(0.75);
  });
});

describe('landmarks and roads (resources/geography/landmarks.json)', () => {
  it('place an address that names only a landmark in its street, firmly', () => {
    const r = index.resolve('望京SOHO T2 写字楼 15 层');
    expect(r).toMatchObject({ district: { code: '110105' }, street: { code: '110105026', nameZh: '望京街道' } });
    expect(r.matched).toEqual([{ level: 'street', code: '110105026', text: '望京SOHO', index: 0 }]);
    expect(r.confidence).toBeGreaterThanOrEqual(ADDRESS_CONFIRM_BELOW);
    expect(index.locate('国贸大厦B座')).toEqual({ districtCode: '110105', streetCode: '110105001' });
    expect(index.locate('鸟巢南侧停车场')).toEqual({ districtCode: '110105', streetCode: '110105031' });
    expect(index.locate('北京大学东门')).toEqual({ districtCode: '110108', streetCode: '110108015' });
    expect(index.locate('八达岭长城景区停车场')).toEqual({ districtCode: '110119', streetCode: '110119102' });
  });

  it('place a road less firmly, and agree with a district named beside it', () => {
    expect(index.resolve('中关村大街27号')).toMatchObject({ district: { code: '110108' }, street: { code: '110108011' } });
    expect(index.resolve('中关村大街27号').confidence).toBeLessThan(ADDRESS_CONFIRM_BELOW);
    expect(index.locate('朝阳区建国门外大街1号')).toEqual({ districtCode: '110105', streetCode: '110105001' });
  });

  it('are each in a street that exists, with unique names', () => {
    const streets = new Set(geo.districts.flatMap((d) => d.streets.map((s) => s.code)));
    expect(geo.landmarks.length).toBeGreaterThanOrEqual(15);
    const names = geo.landmarks.flatMap((l) => [l.nameZh, ...l.aliases]);
    expect(new Set(names).size).toBe(names.length);
    for (const l of geo.landmarks) expect(streets.has(l.streetCode), l.nameZh).toBe(true);
  });
});
