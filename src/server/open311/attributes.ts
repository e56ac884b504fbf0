import type { ExtendedCategory, IntakeQuestion } from '../../shared/reference/categories';
import { parseW3c } from './datetime';

export type AttributeValue = string | number | boolean;

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TEXT_MAX = 1000;

/** The stored value of one answer, or why it is not acceptable. */
function readAnswer(q: IntakeQuestion, raw: string): { value: AttributeValue } | { error: string } {
  switch (q.type) {
    case 'text':
      return raw.length > TEXT_MAX ? { error: `at most ${TEXT_MAX} characters` } : { value: raw };
    case 'number': {
      const n = Number(raw);
      return NUMBER.test(raw) && Number.isFinite(n) ? { value: n } : { error: `"${raw}" is not a number` };
    }
    case 'datetime': {
      const ms = parseW3c(raw);
      return ms === null ? { error: `"${raw}" is not an ISO 8601 date-time with a time zone` } : { value: new Date(ms).toISOString() };
    }
    case 'boolean':
      return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : { error: 'must be one of: true, false' };
    case 'choice': {
      const keys = (q.choices ?? []).map((c) => c.value);
      return keys.includes(raw) ? { value: raw } : { error: `must be one of: ${keys.join(', ')}` };
    }
  }
}

/**
 * Checks `attribute[code]` answers against the category's intake questions: unknown codes, missing
 * required answers, several values for a single-value attribute, and each value's type. Empty values
 * count as not given (GeoReport: an empty optional argument is the same as an absent one).
 */
export function readAttributes(category: ExtendedCategory, given: ReadonlyMap<string, readonly string[]>): { answers: Record<string, AttributeValue>; errors: string[] } {
  const errors: string[] = [];
  const answers: Record<string, AttributeValue> = {};
  const known = new Map(category.intakeQuestions.map((q) => [q.key, q]));
  for (const code of given.keys()) {
    if (!known.has(code)) errors.push(`attribute[${code}]: service ${category.code} has no such attribute`);
  }
  for (const q of category.intakeQuestions) {
    const values = (given.get(q.key) ?? []).map((v) => v.trim()).filter((v) => v !== '');
    if (values.length === 0) {
      if (q.required) errors.push(`attribute[${q.key}]: required (${q.labelEn})`);
      continue;
    }
    if (values.length > 1) {
      errors.push(`attribute[${q.key}]: takes one value, got ${values.length}`);
      continue;
    }
    const read = readAnswer(q, values[0] ?? '');
    if ('error' in read) errors.push(`attribute[${q.key}]: ${read.error}`);
    else answers[q.key] = read.value;
  }
  return { answers, errors };
}
