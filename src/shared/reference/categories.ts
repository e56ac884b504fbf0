import { z } from 'zod';
import { Category } from '../domain/reference';

/** One answer choice of a `choice` intake question; `value` is what is stored. */
export const IntakeChoice = z.object({
  value: z.string().regex(/^[a-z][a-z0-9_]*$/, 'choice_value_format'),
  labelZh: z.string().min(1),
  labelEn: z.string().min(1),
});
export type IntakeChoice = z.infer<typeof IntakeChoice>;

export const IntakeQuestionType = z.enum(['text', 'number', 'boolean', 'choice', 'datetime']);
export type IntakeQuestionType = z.infer<typeof IntakeQuestionType>;

/** A question the operator must ask at intake; Open311 publishes these as service attributes. */
export const IntakeQuestion = z
  .object({
    key: z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'question_key_format'),
    labelZh: z.string().min(1),
    labelEn: z.string().min(1),
    type: IntakeQuestionType,
    required: z.boolean(),
    choices: z.array(IntakeChoice).min(2).optional(),
  })
  .refine((q) => (q.type === 'choice') === (q.choices !== undefined), { error: 'choices_iff_choice_type', path: ['choices'] });
export type IntakeQuestion = z.infer<typeof IntakeQuestion>;

/**
 * A category as resources/seed/categories.json holds it: the foundation's `Category` (which the
 * server's store and the workstation already use) plus what intake and routing need. Parents
 * (`parent: null`) group leaves and carry no questions; cases are filed under leaves.
 */
export const ExtendedCategory = Category.extend({
  intakeQuestions: z.array(IntakeQuestion),
});
export type ExtendedCategory = z.infer<typeof ExtendedCategory>;

export const CategoriesFile = z.object({
  $comment: z.string().optional(),
  categories: z.array(ExtendedCategory),
});
export type CategoriesFile = z.infer<typeof CategoriesFile>;

export function isLeaf(c: Pick<Category, 'parent'>): boolean {
  return c.parent !== null;
}

/** The code itself, then its parent's: what a rule written for either matches. */
export function categoryLineage(code: string, categories: ReadonlyMap<string, Pick<Category, 'parent'>>): string[] {
  const out: string[] = [];
  let current: string | null = code;
  while (current !== null && !out.includes(current)) {
    out.push(current);
    current = categories.get(current)?.parent ?? null;
  }
  return out;
}
