import { z } from 'zod';
import type { IntakeQuestion } from './categories';

/** One answer to an intake question: text, a number, yes/no, a choice value or a date-time text. */
export const IntakeAnswerValue = z.union([z.string().trim().max(1000, 'too_long'), z.number(), z.boolean()]);
export type IntakeAnswerValue = z.infer<typeof IntakeAnswerValue>;

/** Answers by question key, as a case keeps them. */
export const IntakeAnswers = z
  .record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/, 'question_key_format'), IntakeAnswerValue)
  .refine((a) => Object.keys(a).length <= 40, { error: 'too_many_answers' });
export type IntakeAnswers = z.infer<typeof IntakeAnswers>;

/** `YYYY-MM-DDTHH:mm` (what a date-time field gives), optionally with seconds and a zone. */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/;

function problemOf(q: IntakeQuestion, value: IntakeAnswerValue): string | null {
  switch (q.type) {
    case 'text':
      return typeof value === 'string' ? null : 'intake_type';
    case 'number':
      return typeof value === 'number' ? null : 'intake_type';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'intake_type';
    case 'datetime':
      return typeof value === 'string' && DATETIME.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'intake_type';
    case 'choice':
      return typeof value === 'string' && (q.choices ?? []).some((c) => c.value === value) ? null : 'intake_choice';
  }
}

/**
 * What is wrong with the answers to a category's questions, by question key: a required question
 * not answered (an empty text counts as not answered; only with `requireAll`, the default), a value
 * of the wrong type, a choice that is not offered, a key the category does not ask. Empty when all
 * is well.
 */
export function checkIntakeAnswers(questions: readonly IntakeQuestion[], answers: IntakeAnswers, opts: { requireAll?: boolean } = {}): Record<string, string> {
  const requireAll = opts.requireAll ?? true;
  const problems: Record<string, string> = {};
  const asked = new Set(questions.map((q) => q.key));
  for (const key of Object.keys(answers)) if (!asked.has(key)) problems[key] = 'intake_unknown';
  for (const q of questions) {
    const value = answers[q.key];
    if (value === undefined || value === '') {
      if (q.required && requireAll) problems[q.key] = 'required';
      continue;
    }
    const problem = problemOf(q, value);
    if (problem) problems[q.key] = problem;
  }
  return problems;
}

/** The answers without empty texts (an optional question left blank is not an answer). */
export function compactAnswers(answers: IntakeAnswers): IntakeAnswers {
  return Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== ''));
}
