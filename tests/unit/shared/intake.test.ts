import { describe, expect, it } from 'vitest';
import { checkIntakeAnswers, compactAnswers, IntakeAnswers } from '../../../src/shared/reference/intake';
import type { IntakeQuestion } from '../../../src/shared/reference/categories';
import { loadBundle } from '../reference/load';

const noise = (): readonly IntakeQuestion[] => {
  const c = loadBundle().categories.categories.find((x) => x.code === 'noise.residential');
  if (!c) throw new Error('noise.residential missing');
  return c.intakeQuestions;
};

describe('intake answers', () => {
  it('accepts complete, well-typed answers to the shipped noise questions', () => {
    expect(checkIntakeAnswers(noise(), { locationDetail: '3号楼东侧', noiseSource: '建筑工地', timeOfDay: 'night', ongoing: true })).toEqual({});
  });

  it('names each problem by question: missing, wrong type, choice not offered, not asked', () => {
    expect(checkIntakeAnswers(noise(), { locationDetail: '', noiseSource: 5, timeOfDay: 'noon', ongoing: 'yes', color: 'red' })).toEqual({
      locationDetail: 'required',
      noiseSource: 'intake_type',
      timeOfDay: 'intake_choice',
      ongoing: 'intake_type',
      color: 'intake_unknown',
    });
  });

  it('without requireAll, only malformed answers are problems (an unfinished intake is still saved)', () => {
    expect(checkIntakeAnswers(noise(), {}, { requireAll: false })).toEqual({});
    expect(checkIntakeAnswers(noise(), { timeOfDay: 'noon' }, { requireAll: false })).toEqual({ timeOfDay: 'intake_choice' });
  });

  it('checks numbers and date-times', () => {
    const qs: IntakeQuestion[] = [
      { key: 'floors', labelZh: '层数', labelEn: 'Floors', type: 'number', required: false },
      { key: 'since', labelZh: '开始时间', labelEn: 'Since', type: 'datetime', required: false },
    ];
    expect(checkIntakeAnswers(qs, { floors: 6, since: '2026-11-27T22:30' })).toEqual({});
    expect(checkIntakeAnswers(qs, { floors: '6', since: 'yesterday' })).toEqual({ floors: 'intake_type', since: 'intake_type' });
  });

  it('bounds what a case can carry and drops blanks', () => {
    expect(IntakeAnswers.safeParse({ a: 'x'.repeat(1001) }).success).toBe(false);
    expect(IntakeAnswers.safeParse({ 'Bad-Key': 'x' }).success).toBe(false);
    expect(IntakeAnswers.safeParse(Object.fromEntries(Array.from({ length: 41 }, (_, i) => [`k${i}`, 1]))).success).toBe(false);
    expect(compactAnswers({ a: '', b: 0, c: false, d: 'x' })).toEqual({ b: 0, c: false, d: 'x' });
  });
});
