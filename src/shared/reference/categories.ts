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

/**
 * A code the taxonomy no longer offers (an overlap merged away), and the leaf its cases moved to.
 * Kept for good: the server migrations rewrote the cases filed under it, a workstation that has
 * not yet upgraded may still push it (the server files such a case under `into`), and a search
 * for the old name can still lead to the new leaf.
 */
export const RetiredCategory = z.object({
  code: z.string().min(1).max(40),
  into: z.string().min(1).max(40),
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  /** The day it was retired (YYYY-MM-DD). */
  since: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date_format'),
});
export type RetiredCategory = z.infer<typeof RetiredCategory>;

export const CategoriesFile = z.object({
  $comment: z.string().optional(),
  categories: z.array(ExtendedCategory),
  retired: z.array(RetiredCategory).default([]),
});
export type CategoriesFile = z.infer<typeof CategoriesFile>;

/** The code a case of `code` is filed under today: its successor when `code` was retired, else itself. */
export function currentCategoryCode(code: string, retired: readonly Pick<RetiredCategory, 'code' | 'into'>[]): string {
  let current = code;
  // A retired code's successor may itself be retired later; follow the chain, never round a loop.
  for (let hops = 0; hops <= retired.length; hops++) {
    const next = retired.find((r) => r.code === current)?.into;
    if (next === undefined) return current;
    current = next;
  }
  return current;
}

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
