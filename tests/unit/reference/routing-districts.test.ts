import { describe, expect, it } from 'vitest';
import { DistrictDepartment, GeographyIndex, Router } from '../../../src/shared/reference';
import type { Suggestion, Territory } from '../../../src/shared/reference';
import { loadBundle } from './load';

// The routing rule of docs/reference-data.md: territorial categories go to the street/township
// office first; non-territorial ones to the department of the case's district; city bureaus and
// companies only where the city itself acts; the manual dispatch is always the last option and
// says the district is unknown only when it is.

const bundle = loadBundle();
const index = new GeographyIndex(bundle.geography);
const router = new Router(bundle.routing, bundle.units.units, bundle.categories.categories);
const unitName = new Map(bundle.units.units.map((u) => [u.id, u]));

const WANGJING = '朝阳区望京街道望京西园三区 312 号楼';
const suggest = (categoryCode: string, address: string): Suggestion[] => router.suggest({ categoryCode, territory: index.resolve(address) });
const ids = (list: readonly Suggestion[]): string[] => list.map((s) => s.unitId);

describe('a construction-noise call at 望京街道', () => {
  const list = suggest('noise.construction', WANGJING);

  it('resolves to 朝阳区 › 望京街道', () => {
    expect(index.locate(WANGJING)).toEqual({ districtCode: '110105', streetCode: '110105026' });
  });

  it("goes to 朝阳区's urban-management enforcement bureau, then the street office, the district government and manual dispatch", () => {
    expect(ids(list)).toEqual(['dept.110105.urban_enforcement', 'street.110105026', 'district.110105', 'bureau.hotline_centre']);
    expect(list.map((s) => s.reasonCode)).toEqual(['territory_department', 'territory_street', 'district_fallback', 'city_fallback']);
    expect(unitName.get('dept.110105.urban_enforcement')).toMatchObject({ nameZh: '朝阳区城市管理综合行政执法局', kind: 'district_dept', districtCode: '110105' });
  });

  it('says why, naming the unit, in both languages', () => {
    const [first, second, third] = list;
    expect(first?.reason).toEqual({
      zh: '区级部门承办：施工噪声由朝阳区城市管理综合行政执法局查处',
      en: 'District department for this category: Chaoyang District Urban Management Law Enforcement Bureau enforces the rules on construction noise',
    });
    expect(second?.reason.zh).toContain('望京街道办事处');
    // The district government comes after the rules' units: it coordinates, it was not the only choice.
    expect(third?.reason.zh).toBe('或由区政府（朝阳区人民政府）统筹协调');
  });

  it('offers manual dispatch last without saying the district is unknown', () => {
    const manual = list.at(-1);
    expect(manual?.reason).toEqual(bundle.routing.fallback.placedReason);
    expect(manual?.reason.zh).not.toContain('未能确定');
    expect(manual?.reason.en).not.toMatch(/unknown/i);
  });

  it('says the district is unknown when it is', () => {
    const nowhere = suggest('noise.construction', '楼下工地半夜还在打桩');
    expect(ids(nowhere)).toEqual(['bureau.hotline_centre']);
    expect(nowhere[0]?.reason).toEqual(bundle.routing.fallback.reason);
  });
});

describe('the routing table at 望京街道 (朝阳区)', () => {
  // Leaf → the first suggestion, by the rule's kind: the street office, the district's department, or a city unit.
  const TABLE: [string, string][] = [
    // Territorial: the street office.
    ['urban.parking', 'street.110105026'],
    ['urban.restaurant_fumes', 'street.110105026'],
    ['noise.residential', 'street.110105026'],
    ['noise.commercial', 'street.110105026'],
    ['housing.property_mgmt', 'street.110105026'],
    ['construction.illegal_building', 'street.110105026'],
    ['civil.neighbour_dispute', 'street.110105026'],
    ['civil.subsistence_allowance', 'street.110105026'],
    // Non-territorial: the district's department.
    ['noise.construction', 'dept.110105.urban_enforcement'],
    ['environment.dust', 'dept.110105.urban_enforcement'],
    ['construction.site_safety', 'dept.110105.housing'],
    ['housing.rental_dispute', 'dept.110105.housing'],
    ['housing.public_rental', 'dept.110105.housing'],
    ['housing.old_community_renovation', 'dept.110105.housing'],
    ['housing.elevator_fault', 'dept.110105.market'],
    ['market.consumer_dispute', 'dept.110105.market'],
    ['market.prepaid_card', 'dept.110105.market'],
    ['environment.air_pollution', 'dept.110105.ecology'],
    ['noise.traffic', 'dept.110105.ecology'],
    ['labor.wage_arrears', 'dept.110105.hrss'],
    ['labor.pension', 'dept.110105.hrss'],
    ['transport.traffic_violation', 'dept.110105.traffic_police'],
    ['education.school_enrolment', 'dept.110105.education'],
    ['education.tutoring', 'dept.110105.education'],
    ['health.medical_service', 'dept.110105.health'],
    ['civil.elderly_care', 'dept.110105.civil_affairs'],
    // The district government itself.
    ['housing.demolition', 'district.110105'],
    ['gov.staff_conduct', 'district.110105'],
    // Where the city acts: its bureaus and companies.
    ['housing.purchase_policy', 'bureau.housing'],
    ['market.pharmaceutical', 'bureau.drug'],
    ['health.medical_insurance', 'bureau.medical_security'],
    ['transport.taxi', 'bureau.transport'],
    ['transport.traffic_fine_query', 'bureau.traffic_police'],
    ['utility.water_outage', 'company.waterworks'],
    ['utility.gas_leak', 'company.gas'],
  ];

  it.each(TABLE)('%s → %s', (category, unit) => {
    const [first] = suggest(category, WANGJING);
    expect(first?.unitId).toBe(unit);
    const reasonCode = unit.startsWith('street.') ? 'territory_street' : unit.startsWith('dept.') ? 'territory_department' : unit.startsWith('district.') ? /territory_district|district_fallback/ : 'rule_city';
    expect(first?.reasonCode).toMatch(reasonCode);
    // A reason never shows an unfilled placeholder.
    expect(`${first?.reason.zh ?? ''} ${first?.reason.en ?? ''}`).not.toContain('{unit}');
  });
});

describe('rules whose unit is missing from the units', () => {
  it('are skipped (a unit id, a department no district has), not suggested and not fatal', () => {
    const routing = structuredClone(bundle.routing);
    const reason = { zh: '由{unit}办理', en: '{unit} handles it' };
    routing.rules.unshift(
      { id: 'gone.unit', categories: ['gov.other'], unit: 'bureau.nowhere', priority: 9, reason },
      { id: 'gone.dept', categories: ['gov.other'], unit: { districtDepartment: 'health' }, priority: 9, reason },
    );
    const units = bundle.units.units.filter((u) => !(u.kind === 'district_dept' && u.department === 'health'));
    const r = new Router(routing, units, bundle.categories.categories);
    const list = r.suggest({ categoryCode: 'gov.other', territory: index.resolve(WANGJING) });
    expect(ids(list)).toEqual(['district.110105', 'bureau.hotline_centre']);
    // No rule placed it after all: the district government takes it, with that reason.
    expect(list[0]?.reason.zh).toBe('无对应派单规则，由属地区政府（朝阳区人民政府）承办');
  });
});

describe('district departments', () => {
  const departmentRules = bundle.routing.rules.filter((r) => typeof r.unit !== 'string' && 'districtDepartment' in r.unit);

  it('send each department category to the department of the district the address is in, in all 16 districts', () => {
    expect(departmentRules.length).toBeGreaterThanOrEqual(10);
    for (const d of bundle.geography.districts) {
      const street = d.streets[0];
      if (!street) throw new Error(`${d.nameZh} has no street`);
      const territory: Territory = { district: { code: d.code }, street: { code: street.code } };
      for (const rule of departmentRules) {
        const department = typeof rule.unit !== 'string' && 'districtDepartment' in rule.unit ? rule.unit.districtDepartment : null;
        const leaf = bundle.categories.categories.find((c) => rule.categories.includes(c.code) || rule.categories.includes(c.parent ?? ''));
        if (!leaf || !department) throw new Error(`rule ${rule.id} names no leaf`);
        const list = router.suggest({ categoryCode: leaf.code, territory });
        const found = list.find((s) => s.ruleId === rule.id);
        expect(found, `${rule.id} in ${d.nameZh}`).toMatchObject({ unitId: `dept.${d.code}.${department}`, reasonCode: 'territory_department' });
        expect(found?.reason.zh).toContain(unitName.get(`dept.${d.code}.${department}`)?.nameZh);
      }
    }
  });

  it('exist for every district and department, named after their district', () => {
    for (const d of bundle.geography.districts) {
      for (const department of DistrictDepartment.options) {
        const unit = unitName.get(`dept.${d.code}.${department}`);
        expect(unit, `${d.nameZh} ${department}`).toMatchObject({ kind: 'district_dept', districtCode: d.code, streetCode: null, department, apiKeyId: `uk_dept_${d.code}_${department}` });
        expect(unit?.nameZh).toContain(d.nameZh.replace(/区$/, ''));
        expect(unit?.nameEn).toContain(d.nameEn.replace(/ District$/, ''));
      }
    }
  });

  it('keep the street office first for a territorial category in every district', () => {
    for (const d of bundle.geography.districts) {
      for (const s of d.streets.slice(0, 3)) {
        const [first] = router.suggest({ categoryCode: 'urban.parking', territory: { district: { code: d.code }, street: { code: s.code } } });
        expect(first, s.nameZh).toMatchObject({ unitId: `street.${s.code}`, reasonCode: 'territory_street' });
      }
    }
  });
});
