import type { ReferenceSet } from '../reference/reference-set';
import type { ExtendedCategory, IntakeQuestion } from '../../shared/reference/categories';
import { bi, type Locale } from './locale';

export interface ServiceOut {
  service_code: string;
  service_name: string;
  description: string;
  metadata: boolean;
  type: 'realtime';
  keywords: string;
  group: string | null;
}

export interface AttributeOut {
  variable: true;
  code: string;
  datatype: 'string' | 'number' | 'datetime' | 'text' | 'singlevaluelist';
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values?: { key: string; name: string }[];
}

export interface ServiceDefinitionOut {
  service_code: string;
  attributes: AttributeOut[];
}

/** The category a service code names, when it is one cases can be filed under (a leaf). */
/** The service of a code; a retired code (a merged overlap) names its successor's. */
export function serviceCategory(ref: ReferenceSet, code: string): ExtendedCategory | undefined {
  const current = ref.currentCategoryCode(code);
  return ref.leafCategories().find((c) => c.code === current);
}

const name = (c: Pick<ExtendedCategory, 'nameZh' | 'nameEn'>, locale: Locale) => bi(locale, c.nameZh, c.nameEn);

export function serviceOf(ref: ReferenceSet, c: ExtendedCategory, locale: Locale): ServiceOut {
  const parent = c.parent ? ref.category(c.parent) : undefined;
  const group = parent ? name(parent, locale) : null;
  const words = [c.nameZh, c.nameEn, parent?.nameZh, parent?.nameEn].filter((w): w is string => Boolean(w));
  return {
    service_code: c.code,
    service_name: name(c, locale),
    description: group ? `${group} — ${name(c, locale)}` : name(c, locale),
    metadata: c.intakeQuestions.length > 0,
    type: 'realtime',
    keywords: [...new Set(words)].join(', '),
    group,
  };
}

export function serviceList(ref: ReferenceSet, locale: Locale): ServiceOut[] {
  return ref.leafCategories().map((c) => serviceOf(ref, c, locale));
}

const YES_NO = (locale: Locale) => [
  { key: 'true', name: bi(locale, '是', 'Yes') },
  { key: 'false', name: bi(locale, '否', 'No') },
];

function attributeOf(q: IntakeQuestion, order: number, locale: Locale): AttributeOut {
  const [datatype, datatypeDescription, values] = typeOf(q, locale);
  // Fields in the order the spec lists them, which is also how XML clients see them.
  const out: AttributeOut = {
    variable: true,
    code: q.key,
    datatype,
    required: q.required,
    datatype_description: datatypeDescription,
    order,
    description: bi(locale, q.labelZh, q.labelEn),
  };
  if (values) out.values = values;
  return out;
}

function typeOf(q: IntakeQuestion, locale: Locale): [AttributeOut['datatype'], string | null, AttributeOut['values']] {
  switch (q.type) {
    case 'text':
      return ['text', null, undefined];
    case 'number':
      return ['number', bi(locale, '数字，例如 3 或 2.5', 'A number, e.g. 3 or 2.5'), undefined];
    case 'datetime':
      return [
        'datetime',
        bi(locale, 'ISO 8601 日期时间，含时区，例如 2024-05-01T08:30:00+08:00', 'ISO 8601 date and time with a time zone, e.g. 2024-05-01T08:30:00+08:00'),
        undefined,
      ];
    case 'boolean':
      return ['singlevaluelist', null, YES_NO(locale)];
    case 'choice':
      return ['singlevaluelist', null, (q.choices ?? []).map((c) => ({ key: c.value, name: bi(locale, c.labelZh, c.labelEn) }))];
  }
}

export function serviceDefinition(c: ExtendedCategory, locale: Locale): ServiceDefinitionOut {
  return { service_code: c.code, attributes: c.intakeQuestions.map((q, i) => attributeOf(q, i + 1, locale)) };
}
