import { describe, expect, it } from 'vitest';
import { computeRates, type AnswerFact, type DispatchFact, type EvaluationFact } from '../../../src/shared/domain/rates';
import type { ContactType } from '../../../src/shared/domain/contact';

const H = 3_600_000;
const T0 = Date.UTC(2025, 5, 1);

function dispatched(caseId: string, contactType: ContactType, unitId: string, signedAfterH: number): DispatchFact {
  return {
    caseId,
    unitId,
    districtCode: '110105',
    dispatchedAt: T0,
    signBy: T0 + 24 * H,
    replyBy: T0 + 168 * H,
    acceptedAt: T0 + signedAfterH * H,
    returnedAt: null,
    repliedAt: T0 + 30 * H,
    contactedAt: T0 + signedAfterH * H,
    endedAt: null,
    merged: false,
    contactType,
  };
}
const evaluated = (caseId: string, contactType: ContactType, resolved: boolean, satisfaction: EvaluationFact['satisfaction']): EvaluationFact => ({
  caseId,
  unitId: 'unit.a',
  districtCode: '110105',
  at: T0 + 48 * H,
  resolved,
  satisfaction,
  merged: false,
  contactType,
});
const answered = (caseId: string, at: number, merged = false): AnswerFact => ({ caseId, districtCode: '110105', at, merged, contactType: 'consultation' });

// Written out by hand: what each contact type's figures must be for these facts.
//   complaint    c1: signed in time (1 h), evaluated resolved + satisfied
//   report       c2: signed late (30 h > 24 h), evaluated unresolved + unsatisfied
//   praise       c3: signed in time, no callback (no evaluation)
//   consultation c4: signed in time, evaluated resolved + basically; a1, a2 answered at intake;
//                a3 answered but merged (a duplicate), a4 answered before the period
const facts = {
  dispatches: [dispatched('c1', 'complaint', 'unit.a', 1), dispatched('c2', 'report', 'unit.a', 30), dispatched('c3', 'praise', 'unit.b', 2), dispatched('c4', 'consultation', 'unit.b', 3)],
  evaluations: [evaluated('c1', 'complaint', true, 'satisfied'), evaluated('c2', 'report', false, 'unsatisfied'), evaluated('c4', 'consultation', true, 'basically')],
  answers: [answered('a1', T0 + H), answered('a2', T0 + 2 * H), answered('a3', T0 + 3 * H, true), answered('a4', T0 - H)],
};

describe('rates by contact type', () => {
  const report = computeRates(facts, { from: T0, to: T0 + 30 * 24 * H, groupBy: 'type', asOf: T0 + 30 * 24 * H });
  const of = (key: string) => report.groups.find((g) => g.key === key);

  it('groups every type apart, in order', () => {
    expect(report.groups.map((g) => g.key)).toEqual(['complaint', 'consultation', 'praise', 'report']);
  });

  it('counts each type’s dispatches, evaluations and answers at intake', () => {
    expect(of('complaint')).toMatchObject({ dispatched: 1, responded: 1, responseRate: 1, evaluated: 1, resolved: 1, resolutionRate: 1, satisfactionRate: 1, answered: 0 });
    expect(of('report')).toMatchObject({ dispatched: 1, responded: 0, responseRate: 0, evaluated: 1, resolved: 0, resolutionRate: 0, satisfactionRate: 0, answered: 0 });
    expect(of('praise')).toMatchObject({ dispatched: 1, responded: 1, responseRate: 1, evaluated: 0, resolutionRate: null, satisfactionRate: null, answered: 0 });
    expect(of('consultation')).toMatchObject({ dispatched: 1, responded: 1, evaluated: 1, resolved: 1, satisfactionRate: 0, answered: 2 });
  });

  it('adds them up in the total', () => {
    expect(report.total).toMatchObject({ dispatched: 4, responded: 3, responseRate: 0.75, evaluated: 3, resolved: 2, answered: 2 });
    expect(report.total.resolutionRate).toBeCloseTo(2 / 3, 10);
    expect(report.total.satisfactionRate).toBeCloseTo(1 / 3, 10);
  });

  it('answers at intake have no unit: a report by unit counts them under no unit', () => {
    const byUnit = computeRates(facts, { from: T0, to: T0 + 30 * 24 * H, groupBy: 'unit', asOf: T0 + 30 * 24 * H });
    expect(byUnit.groups.find((g) => g.key === null)).toMatchObject({ answered: 2, dispatched: 0 });
    expect(computeRates(facts, { from: T0, to: T0 + 30 * 24 * H, groupBy: 'unit', unitId: 'unit.a', asOf: T0 + 30 * 24 * H }).total.answered).toBe(0);
  });
});
