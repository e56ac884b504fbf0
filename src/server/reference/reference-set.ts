import fs from 'node:fs';
import path from 'node:path';
import { ReferenceBundle, validateBundle } from '../../shared/reference/bundle';
import { GeographyIndex } from '../../shared/reference/address';
import { LandmarksFile } from '../../shared/reference/geography';
import { UnitDirectory, type Unit } from '../../shared/reference/units';
import { Router, type Suggestion } from '../../shared/reference/routing';
import { caseDeadlines, computeDeadlines, dispatchDeadline, type Deadlines, type SlaPolicy } from '../../shared/reference/sla';
import type { Urgency } from '../../shared/domain/contact';
import { currentCategoryCode, type ExtendedCategory } from '../../shared/reference/categories';
import { SlaClass } from '../../shared/domain/reference';
import type { RatesConfig } from '../../shared/domain/rates';

/** Where each reference file lives under resources/. */
export const REFERENCE_PATHS: Record<keyof ReferenceBundle, string> = {
  geography: 'geography/beijing.json',
  units: 'reference/units.json',
  categories: 'seed/categories.json',
  routing: 'reference/routing.json',
  sla: 'reference/sla.json',
  rates: 'reference/rates.json',
};

export class ReferenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReferenceError';
  }
}

/**
 * The reference data the server works from, parsed and cross-checked once at start: the address
 * resolver, the unit directory, the router and the SLA policy over one consistent bundle.
 */
export class ReferenceSet {
  readonly geography: GeographyIndex;
  readonly units: UnitDirectory;
  readonly router: Router;
  private readonly categories: Map<string, ExtendedCategory>;

  constructor(readonly bundle: ReferenceBundle) {
    const problems = validateBundle(bundle);
    if (problems.length > 0) {
      const shown = problems.slice(0, 10).map((p) => `${p.file} ${p.path}: ${p.code} (${p.message})`);
      throw new ReferenceError(`reference data is inconsistent (${problems.length} problems):\n  ${shown.join('\n  ')}`);
    }
    this.geography = new GeographyIndex(bundle.geography);
    this.units = new UnitDirectory(bundle.units.units);
    this.router = new Router(bundle.routing, bundle.units.units, bundle.categories.categories);
    this.categories = new Map(bundle.categories.categories.map((c) => [c.code, c]));
  }

  category(code: string): ExtendedCategory | undefined {
    return this.categories.get(code);
  }

  /** The code a case of `code` is filed under now: the successor of a retired code, else the code itself. */
  currentCategoryCode(code: string): string {
    return currentCategoryCode(code, this.bundle.categories.retired);
  }

  /** Leaf categories: cases are filed under these. */
  leafCategories(): ExtendedCategory[] {
    const parents = new Set(this.bundle.categories.categories.map((c) => c.parent).filter((p): p is string => p !== null));
    return this.bundle.categories.categories.filter((c) => !parents.has(c.code));
  }

  unit(id: string): Unit | undefined {
    return this.units.get(id);
  }

  /** District and street codes of an address, where the text names them. */
  locate(address: string): { districtCode: string | null; streetCode: string | null } {
    return this.geography.locate(address);
  }

  suggest(categoryCode: string, where: { districtCode: string | null; streetCode: string | null }, exclude: readonly string[] = []): Suggestion[] {
    return this.router.suggest({
      categoryCode,
      territory: {
        district: where.districtCode ? { code: where.districtCode } : undefined,
        street: where.streetCode ? { code: where.streetCode } : undefined,
      },
      excludeUnitIds: exclude,
    });
  }

  /** How the rates are computed (resources/reference/rates.json). */
  get rates(): RatesConfig {
    const { $comment: _comment, ...config } = this.bundle.rates;
    return config;
  }

  deadlines(slaClass: SlaClass, dispatchedAt: number): Deadlines {
    return computeDeadlines(slaClass, dispatchedAt, this.bundle.sla);
  }

  /** Deadlines of a dispatch of a case at its urgency (urgency × class, from the SLA policy). */
  caseDeadlines(c: { urgency: Urgency; slaClass: string | null; categoryCode: string }, dispatchedAt: number): Deadlines {
    const slaClass = SlaClass.safeParse(c.slaClass ?? this.category(c.categoryCode)?.slaClass);
    return caseDeadlines(c.urgency, slaClass.success ? slaClass.data : 'general', dispatchedAt, this.bundle.sla);
  }

  /** By when a case of this urgency registered at `at` must be dispatched. */
  dispatchBy(urgency: Urgency, at: number): number {
    return dispatchDeadline(urgency, at, this.bundle.sla);
  }

  get sla(): SlaPolicy {
    return this.bundle.sla;
  }
}

/** Landmarks and roads (hand-curated), merged into the geography document when the file is there. */
export const LANDMARKS_PATH = 'geography/landmarks.json';

/** Reads, parses and cross-checks the reference files; a clear error names what is wrong. */
export function loadReferenceSet(resourcesDir: string): ReferenceSet {
  const raw: Record<string, unknown> = {};
  const read = (file: string): unknown => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ReferenceError(`cannot read reference file ${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  for (const [key, rel] of Object.entries(REFERENCE_PATHS)) raw[key] = read(path.join(resourcesDir, rel));
  const landmarks = path.join(resourcesDir, LANDMARKS_PATH);
  if (fs.existsSync(landmarks) && typeof raw['geography'] === 'object' && raw['geography'] !== null) {
    const parsed = LandmarksFile.safeParse(read(landmarks));
    if (!parsed.success) throw new ReferenceError(`${landmarks} does not match its schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    raw['geography'] = { ...raw['geography'], landmarks: parsed.data.landmarks };
  }
  const parsed = ReferenceBundle.safeParse(raw);
  if (!parsed.success) {
    const shown = parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ReferenceError(`reference data does not match its schema:\n  ${shown.join('\n  ')}`);
  }
  return new ReferenceSet(parsed.data);
}

export const DEFAULT_RESOURCES_DIR = path.resolve(__dirname, '../../../resources');

let shipped: ReferenceSet | undefined;

/** The reference set shipped in resources/, loaded once per process (tests, tools, the default server). */
export function shippedReferenceSet(): ReferenceSet {
  shipped ??= loadReferenceSet(DEFAULT_RESOURCES_DIR);
  return shipped;
}
