import { describe, expect, it } from 'vitest';
import { GeographyIndex, Router, suggestUnits } from '../../../src/shared/reference';
import type { RoutingFile, Territory } from '../../../src/shared/reference';
import { loadBundle } from './load';

const bundle = loadBundle();
const index = new GeographyIndex(bundle.geography);
const router = new Router(bundle.routing, bundle.units.units, bundle.categories.categories);

const at = (address: string): Territory => index.resolve(address);
const top = (categoryCode: string, territory: Territory): string | undefined => router.suggest({ categoryCode, territory })[0]?.unitId;

const CHAOYANG = { district: { code: '110105' } };
const NOWHERE: Territory = {};

describe('suggestUnits', () => {
  it('sends a water outage in Chaoyang to Beijing Waterworks', () => {
    const [first] = router.suggest({ categoryCode: 'utility.water_outage', territory: at('朝阳区建外街道光华路5号') });
    expect(first).toMatchObject({ unitId: 'company.waterworks', reasonCode: 'rule_city', ruleId: 'utility.water' });
    expect(first?.reason.zh).toContain('自来水');
    expect(first?.reason.en).toContain('Waterworks');
  });

  it("sends utilities to their companies and wage arrears to the district's HR and social security bureau", () => {
    expect(top('utility.power_outage', CHAOYANG)).toBe('company.power');
    expect(top('utility.gas_leak', CHAOYANG)).toBe('company.gas');
    expect(top('utility.heating', CHAOYANG)).toBe('company.heating');
    expect(top('labor.wage_arrears', at('海淀区中关村大街27号'))).toBe('dept.110108.hrss');
    expect(top('transport.traffic_violation', CHAOYANG)).toBe('dept.110105.traffic_police');
    // Without a district there is no district department to name: a dispatcher decides.
    expect(top('transport.traffic_violation', NOWHERE)).toBe('bureau.hotline_centre');
  });

  it('sends illegal parking straight to the office of the street the address is in', () => {
    const list = router.suggest({ categoryCode: 'urban.parking', territory: at('北京市朝阳区建外街道建国门外大街1号') });
    expect(list[0]).toMatchObject({ unitId: 'street.110105001', reasonCode: 'territory_street', ruleId: 'urban.territorial' });
    // The district government is the next choice, then the city fallback.
    expect(list.map((s) => s.unitId)).toEqual(['street.110105001', 'district.110105', 'bureau.hotline_centre']);
    expect(list.map((s) => s.reasonCode)).toEqual(['territory_street', 'district_fallback', 'city_fallback']);
  });

  it('picks the office of the right same-named street', () => {
    expect(top('urban.parking', at('海淀区八里庄街道'))).toBe('street.110108005');
    expect(top('urban.parking', at('朝阳区八里庄'))).toBe('street.110105015');
  });

  it('gives a territorial case to the district government when only the district is known', () => {
    expect(router.suggest({ categoryCode: 'urban.parking', territory: CHAOYANG })[0]).toMatchObject({ unitId: 'district.110105', reasonCode: 'territory_district' });
  });

  it('gives a category no rule covers to the district government', () => {
    const [first] = router.suggest({ categoryCode: 'gov.other', territory: at('朝阳区建外街道') });
    expect(first).toMatchObject({ unitId: 'district.110105', reasonCode: 'district_fallback' });
    expect(first?.reason).toEqual({
      zh: bundle.routing.districtFallback.reason.zh.replace('{unit}', '朝阳区人民政府'),
      en: bundle.routing.districtFallback.reason.en.replace('{unit}', 'Chaoyang District Government'),
    });
    expect(first?.reason.zh).toContain('无对应派单规则');
    expect(top('no.such_category', at('西城区新街口'))).toBe('district.110102');
  });

  it('falls back to the hotline centre when nothing is resolved', () => {
    expect(router.suggest({ categoryCode: 'gov.other', territory: NOWHERE })).toEqual([
      { unitId: 'bureau.hotline_centre', score: expect.any(Number) as number, reasonCode: 'city_fallback', reason: bundle.routing.fallback.reason },
    ]);
    expect(top('urban.parking', at('我家楼上装修太吵了'))).toBe('bureau.hotline_centre');
  });

  it('lets a leaf rule beat a parent rule', () => {
    expect(top('market.pharmaceutical', CHAOYANG)).toBe('bureau.drug');
    expect(top('market.food_safety', CHAOYANG)).toBe('dept.110105.market');
    const list = router.suggest({ categoryCode: 'market.pharmaceutical', territory: CHAOYANG });
    expect(list.map((s) => s.unitId).slice(0, 2)).toEqual(['bureau.drug', 'dept.110105.market']);
    expect(list[0]?.score).toBeGreaterThan(list[1]?.score ?? Infinity);
  });

  it('lets a district rule beat a city-wide one', () => {
    // Heating in the outer districts goes to the district, elsewhere to the heating company.
    expect(router.suggest({ categoryCode: 'utility.heating', territory: at('密云区鼓楼街道') })[0]).toMatchObject({ unitId: 'district.110118', ruleId: 'utility.heating.outer' });
    expect(top('utility.heating', at('海淀区中关村街道'))).toBe('company.heating');
  });

  it('lets a street rule beat a city-wide one', () => {
    expect(top('transport.taxi', at('大兴区大兴国际机场'))).toBe('street.110115406');
    expect(top('transport.taxi', at('大兴区旧宫镇'))).toBe('bureau.transport');
  });

  it('ranks territory before category: a district rule for a parent beats a city-wide leaf rule', () => {
    const routing: RoutingFile = structuredClone(bundle.routing);
    routing.rules.push({ id: 'chaoyang.market', categories: ['market'], districts: ['110105'], unit: { byTerritory: 'district' }, priority: 0, reason: { zh: '测试', en: 'Test' } });
    const r = new Router(routing, bundle.units.units, bundle.categories.categories);
    expect(r.suggest({ categoryCode: 'market.pharmaceutical', territory: CHAOYANG }).map((s) => s.unitId).slice(0, 2)).toEqual(['district.110105', 'bureau.drug']);
    expect(r.suggest({ categoryCode: 'market.pharmaceutical', territory: { district: { code: '110108' } } })[0]?.unitId).toBe('bureau.drug');
  });

  it('uses priority and then file order between equally specific rules', () => {
    const routing: RoutingFile = structuredClone(bundle.routing);
    const reason = { zh: '测试', en: 'Test' };
    routing.rules.unshift({ id: 'a', categories: ['labor.wage_arrears'], unit: 'bureau.civil_affairs', priority: 0, reason });
    expect(suggestUnits({ categoryCode: 'labor.wage_arrears', territory: NOWHERE }, routing, bundle.units.units, bundle.categories.categories)[0]?.unitId).toBe('bureau.civil_affairs');
    routing.rules.push({ id: 'b', categories: ['labor.wage_arrears'], unit: 'bureau.health', priority: 5, reason });
    expect(suggestUnits({ categoryCode: 'labor.wage_arrears', territory: NOWHERE }, routing, bundle.units.units, bundle.categories.categories)[0]?.unitId).toBe('bureau.health');
  });

  it('never suggests a unit twice, nor one that returned the case', () => {
    const territory = at('北京市朝阳区建外街道建国门外大街1号');
    const list = router.suggest({ categoryCode: 'urban.parking', territory, excludeUnitIds: ['street.110105001'] });
    expect(list.map((s) => s.unitId)).toEqual(['district.110105', 'bureau.hotline_centre']);
    const all = router.suggest({ categoryCode: 'housing.demolition', territory });
    expect(new Set(all.map((s) => s.unitId)).size).toBe(all.length);
  });

  it('derives the district from a street code alone', () => {
    expect(router.suggest({ categoryCode: 'gov.other', territory: { street: { code: '110105001' } } })[0]?.unitId).toBe('district.110105');
  });

  it('routes every leaf somewhere for any resolved address', () => {
    const territory = at('北京市朝阳区建外街道建国门外大街1号');
    for (const c of bundle.categories.categories.filter((x) => x.parent !== null)) {
      const list = router.suggest({ categoryCode: c.code, territory });
      expect(list.length, c.code).toBeGreaterThanOrEqual(2);
      expect(list.at(-1)?.unitId).toBe('bureau.hotline_centre');
      expect([...list].sort((x, y) => y.score - x.score)).toEqual(list);
    }
  });
});
