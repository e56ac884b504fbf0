import { describe, expect, it } from 'vitest';
import { RoutingRule, suggestUnits, type RoutingFile } from '../../../src/shared/reference';
import { loadBundle } from './load';

const bundle = loadBundle();
const reason = { zh: '测试', en: 'Test' };
const suggest = (rules: RoutingFile['rules']): string[] =>
  suggestUnits({ categoryCode: 'labor.wage_arrears', territory: {} }, { ...bundle.routing, rules }, bundle.units.units, bundle.categories.categories).map((s) => s.unitId);

describe('routing rules', () => {
  it('a rule is scoped to districts or to streets, not both', () => {
    const rule = { id: 'r', categories: ['urban'], unit: 'bureau.hrss', reason };
    expect(RoutingRule.safeParse({ ...rule, districts: ['110105'] }).success).toBe(true);
    expect(RoutingRule.safeParse({ ...rule, streets: ['110105001'] }).success).toBe(true);
    const both = RoutingRule.safeParse({ ...rule, districts: ['110105'], streets: ['110105001'] });
    expect(both.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['streets', 'districts_or_streets_not_both']]);
  });

  it('between rules equal in every respect, file order decides', () => {
    const a = { id: 'a', categories: ['labor.wage_arrears'], unit: 'bureau.civil_affairs', priority: 3, reason };
    const b = { id: 'b', categories: ['labor.wage_arrears'], unit: 'bureau.health', priority: 3, reason };
    expect(suggest([a, b]).slice(0, 2)).toEqual(['bureau.civil_affairs', 'bureau.health']);
    expect(suggest([b, a]).slice(0, 2)).toEqual(['bureau.health', 'bureau.civil_affairs']);
  });
});
