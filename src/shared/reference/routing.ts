import { z } from 'zod';
import type { Category } from '../domain/reference';
import { categoryLineage } from './categories';
import { Bilingual, DistrictCode, StreetCode, UnitId } from './common';
import type { Unit } from './units';
import { DistrictDepartment, UnitDirectory } from './units';

// Dispatch suggestion: category × jurisdiction → unit, as data (resources/reference/routing.json).
//
// Precedence, most specific first:
//   1. territory: a rule scoped to streets beats one scoped to districts beats a city-wide one;
//   2. category: a rule naming the leaf beats one naming its parent;
//   3. `priority` (higher first), then file order, between rules equally specific.
// A rule's target is a unit id, or `{byTerritory}`: the office of the street the address resolved
// to (or, without a street, the district government), or the district government; or
// `{districtDepartment}`: that department of the case's district (nothing when the district is
// unknown). With no rule that yields a unit, the district government takes the case; with no
// district either, `fallback` does. A reason may name the unit it chose: `{unit}` is replaced by
// its name in each language.

export const TerritoryLevel = z.enum(['street', 'district']);
export type TerritoryLevel = z.infer<typeof TerritoryLevel>;

export const RuleTarget = z.union([UnitId, z.object({ byTerritory: TerritoryLevel }).strict(), z.object({ districtDepartment: DistrictDepartment }).strict()]);
export type RuleTarget = z.infer<typeof RuleTarget>;

export const RoutingRule = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_.-]*$/, 'rule_id_format'),
    /** Leaf or parent category codes. */
    categories: z.array(z.string().min(1)).min(1),
    /** Only in these districts (omit for city-wide). */
    districts: z.array(DistrictCode).min(1).optional(),
    /** Only in these streets/townships. */
    streets: z.array(StreetCode).min(1).optional(),
    unit: RuleTarget,
    priority: z.number().int().min(0).max(99).default(0),
    reason: Bilingual,
  })
  .refine((r) => !(r.districts && r.streets), { error: 'districts_or_streets_not_both', path: ['streets'] });
export type RoutingRule = z.infer<typeof RoutingRule>;

export const RoutingFile = z.object({
  $comment: z.string().optional(),
  /**
   * The 12345 centre's manual dispatch: who takes a case when no rule yields a unit and the district
   * is unknown, and the last option offered for every case. `reason` says the district is unknown;
   * `placedReason` is shown instead when the address was placed in a district.
   */
  fallback: z.object({ unit: UnitId, reason: Bilingual, placedReason: Bilingual }),
  /** Why the district government takes a case no rule placed (`reason`), or is offered after the units the rules chose (`alternativeReason`). */
  districtFallback: z.object({ reason: Bilingual, alternativeReason: Bilingual }),
  rules: z.array(RoutingRule),
});
export type RoutingFile = z.infer<typeof RoutingFile>;

export const SuggestionReason = z.enum([
  'rule_street',
  'rule_district',
  'rule_city',
  'territory_street',
  'territory_district',
  /** The department of the case's district that handles this category (区城管执法局 …). */
  'territory_department',
  'district_fallback',
  'city_fallback',
]);
export type SuggestionReason = z.infer<typeof SuggestionReason>;

export const Suggestion = z.object({
  unitId: UnitId,
  /** Higher is better; only the order is meaningful. */
  score: z.number(),
  reasonCode: SuggestionReason,
  reason: Bilingual,
  ruleId: z.string().optional(),
});
export type Suggestion = z.infer<typeof Suggestion>;

/** Where the case is: an `AddressResolution` fits, and so do codes stored on a case. */
export interface Territory {
  district?: { code: string } | undefined;
  street?: { code: string } | undefined;
}

export interface SuggestRequest {
  categoryCode: string;
  territory: Territory;
  /** Units that must not be suggested again (e.g. they returned the case). */
  excludeUnitIds?: readonly string[];
}

type CategoryLink = Pick<Category, 'code' | 'parent'>;

const TERRITORY_SPECIFICITY = { street: 2, district: 1, city: 0 } as const;
const DISTRICT_FALLBACK_SCORE = 500;
const CITY_FALLBACK_SCORE = 100;

function ruleScope(r: RoutingRule): keyof typeof TERRITORY_SPECIFICITY {
  if (r.streets) return 'street';
  if (r.districts) return 'district';
  return 'city';
}

/** Built once per reference version; `suggest` is then a scan of the rules. */
export class Router {
  private readonly units: UnitDirectory;
  private readonly categories: ReadonlyMap<string, CategoryLink>;

  constructor(
    private readonly routing: RoutingFile,
    units: readonly Unit[],
    categories: readonly CategoryLink[],
  ) {
    this.units = new UnitDirectory(units);
    this.categories = new Map(categories.map((c) => [c.code, c]));
  }

  suggest(req: SuggestRequest): Suggestion[] {
    const streetCode = req.territory.street?.code;
    const districtCode = req.territory.district?.code ?? streetCode?.slice(0, 6);
    const lineage = categoryLineage(req.categoryCode, this.categories);
    const excluded = new Set(req.excludeUnitIds ?? []);
    const out: Suggestion[] = [];
    const add = (s: Suggestion): void => {
      if (!excluded.has(s.unitId) && this.units.get(s.unitId) && !out.some((o) => o.unitId === s.unitId)) out.push(s);
    };

    const matching: { rule: RoutingRule; score: number; scope: keyof typeof TERRITORY_SPECIFICITY; order: number }[] = [];
    this.routing.rules.forEach((rule, order) => {
      const depth = lineage.findIndex((code) => rule.categories.includes(code));
      if (depth < 0) return;
      if (rule.streets && (streetCode === undefined || !rule.streets.includes(streetCode))) return;
      if (rule.districts && (districtCode === undefined || !rule.districts.includes(districtCode))) return;
      const scope = ruleScope(rule);
      // Leaf (depth 0) over parent (depth 1, …).
      const categorySpecificity = Math.max(0, 9 - depth);
      matching.push({ rule, scope, order, score: 10_000 + 1_000 * TERRITORY_SPECIFICITY[scope] + 100 * categorySpecificity + rule.priority });
    });
    matching.sort((a, b) => b.score - a.score || a.order - b.order);

    for (const { rule, score, scope } of matching) {
      const base = { score, reason: rule.reason, ruleId: rule.id };
      const named = (unit: Unit) => ({ ...base, reason: withUnit(rule.reason, unit) });
      if (typeof rule.unit === 'string') {
        const unit = this.units.get(rule.unit);
        if (unit) add({ ...named(unit), unitId: rule.unit, reasonCode: `rule_${scope}` });
        continue;
      }
      if ('districtDepartment' in rule.unit) {
        const department = districtCode !== undefined ? this.units.districtDepartment(districtCode, rule.unit.districtDepartment) : undefined;
        if (department) add({ ...named(department), unitId: department.id, reasonCode: 'territory_department' });
        continue;
      }
      const office = rule.unit.byTerritory === 'street' && streetCode !== undefined ? this.units.streetOffice(streetCode) : undefined;
      if (office) {
        add({ ...named(office), unitId: office.id, reasonCode: 'territory_street' });
        continue;
      }
      const government = districtCode !== undefined ? this.units.districtGovernment(districtCode) : undefined;
      if (government) add({ ...named(government), unitId: government.id, reasonCode: 'territory_district' });
    }

    const government = districtCode !== undefined ? this.units.districtGovernment(districtCode) : undefined;
    if (government) {
      const { reason, alternativeReason } = this.routing.districtFallback;
      add({ unitId: government.id, score: DISTRICT_FALLBACK_SCORE, reasonCode: 'district_fallback', reason: withUnit(out.length === 0 ? reason : alternativeReason, government) });
    }
    // Manual dispatch is always the last option; it says the district is unknown only when it is.
    const { fallback } = this.routing;
    add({ unitId: fallback.unit, score: CITY_FALLBACK_SCORE, reasonCode: 'city_fallback', reason: government ? fallback.placedReason : fallback.reason });
    return out;
  }
}

/** The reason with `{unit}` replaced by the unit's name, in each language. */
function withUnit(reason: Bilingual, unit: Pick<Unit, 'nameZh' | 'nameEn'>): Bilingual {
  return { zh: reason.zh.replaceAll('{unit}', unit.nameZh), en: reason.en.replaceAll('{unit}', unit.nameEn) };
}

/** One-shot form of `Router.suggest`; build a `Router` once when suggesting repeatedly. */
export function suggestUnits(req: SuggestRequest, routing: RoutingFile, units: readonly Unit[], categories: readonly CategoryLink[]): Suggestion[] {
  return new Router(routing, units, categories).suggest(req);
}
