import fs from 'node:fs';
import path from 'node:path';
import { ReferenceBundle } from '../../../src/shared/reference';

const ROOT = path.resolve(__dirname, '../../..');

export const REFERENCE_FILES = {
  geography: 'resources/geography/beijing.json',
  units: 'resources/reference/units.json',
  categories: 'resources/seed/categories.json',
  routing: 'resources/reference/routing.json',
  sla: 'resources/reference/sla.json',
  rates: 'resources/reference/rates.json',
} as const;

export const LANDMARKS_FILE = 'resources/geography/landmarks.json';

export function readJson(relative: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(ROOT, relative), 'utf8'));
}

export function fileSize(relative: string): number {
  return fs.statSync(path.join(ROOT, relative)).size;
}

/** The raw files, unparsed, for schema tests. */
export function rawBundle(): Record<keyof typeof REFERENCE_FILES, unknown> {
  return {
    // As the server loads it: the NBS geography with the hand-curated landmarks merged in.
    geography: { ...(readJson(REFERENCE_FILES.geography) as object), landmarks: (readJson(LANDMARKS_FILE) as { landmarks: unknown }).landmarks },
    units: readJson(REFERENCE_FILES.units),
    categories: readJson(REFERENCE_FILES.categories),
    routing: readJson(REFERENCE_FILES.routing),
    sla: readJson(REFERENCE_FILES.sla),
    rates: readJson(REFERENCE_FILES.rates),
  };
}

let cached: ReferenceBundle | undefined;

/** The shipped reference data, parsed once per test file. */
export function loadBundle(): ReferenceBundle {
  cached ??= ReferenceBundle.parse(rawBundle());
  return cached;
}

/** A deep copy to break on purpose. */
export function cloneBundle(): ReferenceBundle {
  return structuredClone(loadBundle());
}
