import { z } from 'zod';
import { CategoriesFile } from './categories';
import { Geography } from './geography';
import { RoutingFile } from './routing';
import { SlaPolicy } from './sla';
import { UnitsFile } from './units';
import { RatesConfig } from '../domain/rates';

/** Everything the server loads from resources/ as one versioned reference set. */
export const ReferenceBundle = z.object({
  geography: Geography,
  units: UnitsFile,
  categories: CategoriesFile,
  routing: RoutingFile,
  sla: SlaPolicy,
  /** How the rates are computed; no cross-file references, so validateBundle has nothing to check in it. */
  rates: RatesConfig,
});
export type ReferenceBundle = z.infer<typeof ReferenceBundle>;

export interface ReferenceProblem {
  /** Which file: geography, units, categories, routing, sla or rates. */
  file: keyof ReferenceBundle;
  /** Where in it, e.g. `rules[3].unit`. */
  path: string;
  code: string;
  message: string;
}

/**
 * Cross-file checks that the schemas cannot express (each file parses on its own): every code
 * and id one file names exists in the other, codes are unique, the hierarchy is consistent. An
 * empty list means the bundle is safe to load.
 */
export function validateBundle(bundle: ReferenceBundle): ReferenceProblem[] {
  const problems: ReferenceProblem[] = [];
  const report = (file: keyof ReferenceBundle, path: string, code: string, message: string): void => {
    problems.push({ file, path, code, message });
  };

  // Geography: unique codes, each code under its parent's.
  const districts = new Set<string>();
  const streets = new Map<string, string>();
  const communities = new Set<string>();
  bundle.geography.districts.forEach((d, di) => {
    if (districts.has(d.code)) report('geography', `districts[${di}]`, 'duplicate_code', `district ${d.code} twice`);
    districts.add(d.code);
    d.streets.forEach((s, si) => {
      const at = `districts[${di}].streets[${si}]`;
      if (streets.has(s.code)) report('geography', at, 'duplicate_code', `street ${s.code} twice`);
      if (!s.code.startsWith(d.code)) report('geography', at, 'wrong_parent', `street ${s.code} is not in district ${d.code}`);
      streets.set(s.code, d.code);
      s.communities.forEach(([code], ci) => {
        if (communities.has(code)) report('geography', `${at}.communities[${ci}]`, 'duplicate_code', `community ${code} twice`);
        if (!code.startsWith(s.code)) report('geography', `${at}.communities[${ci}]`, 'wrong_parent', `community ${code} is not in street ${s.code}`);
        communities.add(code);
      });
    });
  });

  // Landmarks: in a street that exists, each name naming one place.
  const landmarkNames = new Set<string>();
  bundle.geography.landmarks.forEach((l, i) => {
    const at = `landmarks[${i}]`;
    if (!streets.has(l.streetCode)) report('geography', `${at}.streetCode`, 'unknown_street', `landmark ${l.nameZh} in unknown street ${l.streetCode}`);
    for (const name of [l.nameZh, ...l.aliases]) {
      if (landmarkNames.has(name)) report('geography', at, 'duplicate_name', `landmark name ${name} twice`);
      landmarkNames.add(name);
    }
  });

  // Categories: unique codes, two levels, questions well-formed.
  const categories = new Map<string, string | null>();
  bundle.categories.categories.forEach((c, i) => {
    if (categories.has(c.code)) report('categories', `categories[${i}]`, 'duplicate_code', `category ${c.code} twice`);
    categories.set(c.code, c.parent);
  });
  bundle.categories.categories.forEach((c, i) => {
    const at = `categories[${i}]`;
    if (c.parent !== null) {
      if (!categories.has(c.parent)) report('categories', `${at}.parent`, 'unknown_parent', `${c.code}: parent ${c.parent} does not exist`);
      else if (categories.get(c.parent) !== null) report('categories', `${at}.parent`, 'too_deep', `${c.code}: parent ${c.parent} is itself a leaf`);
    }
    const keys = new Set<string>();
    c.intakeQuestions.forEach((q, qi) => {
      if (keys.has(q.key)) report('categories', `${at}.intakeQuestions[${qi}]`, 'duplicate_question', `${c.code}: question ${q.key} twice`);
      keys.add(q.key);
    });
  });
  // Retired codes: gone from the taxonomy, each moved into a leaf that exists.
  const retired = new Set<string>();
  bundle.categories.retired.forEach((r, i) => {
    const at = `retired[${i}]`;
    if (retired.has(r.code)) report('categories', at, 'duplicate_code', `retired category ${r.code} twice`);
    retired.add(r.code);
    if (categories.has(r.code)) report('categories', `${at}.code`, 'retired_still_offered', `${r.code} is retired but still a category`);
    const into = categories.get(r.into);
    if (into === undefined) report('categories', `${at}.into`, 'unknown_category', `${r.code} moved into unknown ${r.into}`);
    else if (into === null) report('categories', `${at}.into`, 'not_a_leaf', `${r.code} moved into the parent ${r.into}`);
  });
  const categoryExists = (code: string): boolean => categories.has(code);
  const lineage = (code: string): string[] => {
    const parent = categories.get(code);
    return parent ? [code, parent] : [code];
  };

  // Units: unique ids and keys, territory codes exist, one office per street, one government per district.
  const units = new Map<string, (typeof bundle.units.units)[number]>();
  const apiKeys = new Set<string>();
  const offices = new Set<string>();
  const governments = new Set<string>();
  bundle.units.units.forEach((u, i) => {
    const at = `units[${i}]`;
    if (units.has(u.id)) report('units', at, 'duplicate_id', `unit ${u.id} twice`);
    units.set(u.id, u);
    if (apiKeys.has(u.apiKeyId)) report('units', `${at}.apiKeyId`, 'duplicate_api_key_id', `api key id ${u.apiKeyId} twice`);
    apiKeys.add(u.apiKeyId);
    if (u.districtCode !== null && !districts.has(u.districtCode)) report('units', `${at}.districtCode`, 'unknown_district', `${u.id}: district ${u.districtCode}`);
    if (u.streetCode !== null) {
      if (!streets.has(u.streetCode)) report('units', `${at}.streetCode`, 'unknown_street', `${u.id}: street ${u.streetCode}`);
      else if (streets.get(u.streetCode) !== u.districtCode) report('units', `${at}.streetCode`, 'wrong_parent', `${u.id}: street ${u.streetCode} is not in ${u.districtCode ?? 'no district'}`);
    }
    if (u.kind === 'street_office' && u.streetCode !== null) {
      if (offices.has(u.streetCode)) report('units', at, 'duplicate_office', `second office for street ${u.streetCode}`);
      offices.add(u.streetCode);
    }
    if (u.kind === 'district_gov' && u.districtCode !== null) {
      if (governments.has(u.districtCode)) report('units', at, 'duplicate_government', `second government for district ${u.districtCode}`);
      governments.add(u.districtCode);
    }
    u.covers.districts.forEach((d, j) => {
      if (!districts.has(d)) report('units', `${at}.covers.districts[${j}]`, 'unknown_district', `${u.id} covers unknown district ${d}`);
    });
    u.covers.streets.forEach((s, j) => {
      if (!streets.has(s)) report('units', `${at}.covers.streets[${j}]`, 'unknown_street', `${u.id} covers unknown street ${s}`);
    });
    u.covers.categories.forEach((c, j) => {
      if (!categoryExists(c)) report('units', `${at}.covers.categories[${j}]`, 'unknown_category', `${u.id} covers unknown category ${c}`);
    });
  });
  for (const d of districts) if (!governments.has(d)) report('units', 'units', 'missing_government', `district ${d} has no district_gov unit`);
  for (const s of streets.keys()) if (!offices.has(s)) report('units', 'units', 'missing_office', `street ${s} has no street_office unit`);

  // Routing: every unit, category and territory a rule names exists, and the unit covers the category.
  const ruleIds = new Set<string>();
  if (!units.has(bundle.routing.fallback.unit)) report('routing', 'fallback.unit', 'unknown_unit', `fallback unit ${bundle.routing.fallback.unit}`);
  bundle.routing.rules.forEach((r, i) => {
    const at = `rules[${i}]`;
    if (ruleIds.has(r.id)) report('routing', `${at}.id`, 'duplicate_id', `rule ${r.id} twice`);
    ruleIds.add(r.id);
    r.categories.forEach((c, j) => {
      if (!categoryExists(c)) report('routing', `${at}.categories[${j}]`, 'unknown_category', `${r.id}: category ${c}`);
    });
    r.districts?.forEach((d, j) => {
      if (!districts.has(d)) report('routing', `${at}.districts[${j}]`, 'unknown_district', `${r.id}: district ${d}`);
    });
    r.streets?.forEach((s, j) => {
      if (!streets.has(s)) report('routing', `${at}.streets[${j}]`, 'unknown_street', `${r.id}: street ${s}`);
    });
    if (typeof r.unit !== 'string' && 'districtDepartment' in r.unit) {
      // Every district has the department, and each of them covers the rule's categories.
      const department = r.unit.districtDepartment;
      for (const d of districts) {
        const dept = [...units.values()].find((u) => u.kind === 'district_dept' && u.districtCode === d && u.department === department);
        if (!dept) {
          report('routing', `${at}.unit`, 'missing_department', `${r.id}: district ${d} has no ${department} department`);
          continue;
        }
        const covered = dept.covers.categories;
        for (const c of r.categories) {
          if (covered.length > 0 && categoryExists(c) && !lineage(c).some((code) => covered.includes(code)))
            report('routing', `${at}.unit`, 'unit_does_not_cover', `${r.id}: ${dept.id} does not cover ${c}`);
        }
      }
      return;
    }
    if (typeof r.unit !== 'string') return;
    const unit = units.get(r.unit);
    if (!unit) {
      report('routing', `${at}.unit`, 'unknown_unit', `${r.id}: unit ${r.unit}`);
      return;
    }
    const covered = unit.covers.categories;
    if (covered.length === 0) return;
    for (const c of r.categories) {
      if (categoryExists(c) && !lineage(c).some((code) => covered.includes(code)))
        report('routing', `${at}.unit`, 'unit_does_not_cover', `${r.id}: ${r.unit} does not cover ${c}`);
    }
  });

  return problems;
}
