import { describe, expect, it } from 'vitest';
import { computeRates, countedEvaluations, RatesConfig, responseVerdict, type DispatchFact, type EvaluationFact, type RatesConfigInput, type RatesQuery } from '../../../src/shared/domain/rates';

// The edges of docs/rates.md that rates.test.ts's worked example does not reach: each verdict rule
// of responseVerdict on its own, the weights, ties between evaluations, and the order of groups.

const M = 60_000;
const H = 60 * M;
const D = 24 * H;
const T0 = Date.UTC(2025, 4, 1, 0, 0, 0);
const cfg = (input: RatesConfigInput = {}): RatesConfig => RatesConfig.parse(input);
const DEFAULT = cfg();

/** Dispatched at T0: sign for by T0 + 1 day, reply by T0 + 7 days; nothing done yet. */
function fact(fields: Partial<DispatchFact> = {}): DispatchFact {
  return {
    caseId: 'c1',
    unitId: 'unit.a',
    districtCode: '110105',
    dispatchedAt: T0,
    signBy: T0 + D,
    replyBy: T0 + 7 * D,
    acceptedAt: null,
    returnedAt: null,
    repliedAt: null,
    contactedAt: null,
    endedAt: null,
    merged: false,
    contactType: 'complaint',
    ...fields,
  };
}

function ev(caseId: string, at: number, fields: Partial<EvaluationFact> = {}): EvaluationFact {
  return { caseId, unitId: 'unit.a', districtCode: '110105', at, resolved: true, satisfaction: 'satisfied', merged: false, contactType: 'complaint', ...fields };
}

describe('responseVerdict, rule by rule', () => {
  it('a dispatch without deadlines: any sign-for and contact is in time; with nothing done it stays pending', () => {
    const none = fact({ signBy: null, replyBy: null });
    expect(responseVerdict({ ...none, acceptedAt: T0 + 30 * D, contactedAt: T0 + 30 * D, repliedAt: T0 + 30 * D }, DEFAULT, T0 + 40 * D)).toBe('responded');
    expect(responseVerdict(none, DEFAULT, T0 + 400 * D)).toBe('pending');
    expect(responseVerdict(none, cfg({ response: { pending: 'notResponded' } }), T0 + 400 * D)).toBe('not_responded');
  });

  it('returned (default notResponded): not responded even when signed and contacted in time', () => {
    const returned = fact({ acceptedAt: T0 + H, contactedAt: T0 + H, returnedAt: T0 + 2 * H, endedAt: T0 + 2 * H });
    expect(responseVerdict(returned, DEFAULT, T0 + 3 * H)).toBe('not_responded');
    expect(responseVerdict(returned, cfg({ response: { returned: 'asUsual' } }), T0 + 3 * H)).toBe('responded');
    expect(responseVerdict(returned, cfg({ response: { returned: 'exclude' } }), T0 + 3 * H)).toBe('excluded');
  });

  it('returned before signing for, judged as usual: decided at the return, not pending', () => {
    const returned = fact({ returnedAt: T0 + 2 * H, endedAt: null });
    expect(responseVerdict(returned, cfg({ response: { returned: 'asUsual' } }), T0 + 3 * H)).toBe('not_responded');
  });

  it('signed for late is final at once, even with the contact still to come', () => {
    expect(responseVerdict(fact({ acceptedAt: T0 + D + 1 }), DEFAULT, T0 + D + 2)).toBe('not_responded');
  });

  it('a reply without a reported contact decides the dispatch at once (contact: reported)', () => {
    expect(responseVerdict(fact({ acceptedAt: T0 + H, repliedAt: T0 + 2 * H }), DEFAULT, T0 + 3 * H)).toBe('not_responded');
  });

  it('a contact known and late decides the dispatch at once', () => {
    // Contact by signing for, due within 60 minutes; signed for at +2h: in time for signBy, late for contact.
    const config = cfg({ response: { contact: 'accept', contactDeadline: { afterDispatchMinutes: 60 } } });
    expect(responseVerdict(fact({ acceptedAt: T0 + 2 * H }), config, T0 + 3 * H)).toBe('not_responded');
  });

  it('contact due a number of minutes after dispatch: at the minute in time, a millisecond later not', () => {
    const config = cfg({ response: { contactDeadline: { afterDispatchMinutes: 90 } } });
    const signed = { acceptedAt: T0 + 10 * M, repliedAt: T0 + 5 * H };
    expect(responseVerdict(fact({ ...signed, contactedAt: T0 + 90 * M }), config, T0 + 6 * H)).toBe('responded');
    expect(responseVerdict(fact({ ...signed, contactedAt: T0 + 90 * M + 1 }), config, T0 + 6 * H)).toBe('not_responded');
    // Dispatched later: the deadline moves with the dispatch.
    expect(responseVerdict(fact({ dispatchedAt: T0 + H, acceptedAt: T0 + H + 10 * M, contactedAt: T0 + H + 80 * M }), config, T0 + 6 * H)).toBe('responded');
  });

  it('reportedOrReply takes the reported contact first, the reply time only without one', () => {
    const config = cfg({ response: { contact: 'reportedOrReply' } });
    // Contact reported at +2h (in time), reply at +30h (after signBy).
    const d = fact({ acceptedAt: T0 + H, contactedAt: T0 + 2 * H, repliedAt: T0 + 30 * H });
    expect(responseVerdict(d, config, T0 + 31 * H)).toBe('responded');
    expect(responseVerdict(d, cfg({ response: { contact: 'reply' } }), T0 + 31 * H)).toBe('not_responded');
    expect(responseVerdict({ ...d, contactedAt: null }, config, T0 + 31 * H)).toBe('not_responded');
    expect(responseVerdict({ ...d, contactedAt: null, repliedAt: T0 + 3 * H }, config, T0 + 31 * H)).toBe('responded');
  });

  it('signed in time, contact to come with the reply: still pending at the reply deadline itself', () => {
    const signed = fact({ acceptedAt: T0 + H });
    expect(responseVerdict(signed, DEFAULT, T0 + 7 * D)).toBe('pending');
    expect(responseVerdict(signed, DEFAULT, T0 + 7 * D + 1)).toBe('not_responded');
  });

  it('contact implied by signing for: the reply deadline decides nothing', () => {
    const config = cfg({ response: { contact: 'accept' } });
    // No sign-for deadline and not signed for: nothing can decide it yet, however late.
    expect(responseVerdict(fact({ signBy: null }), config, T0 + 30 * D)).toBe('pending');
    // The same under contact reported with the reply: decided once the reply deadline passed.
    expect(responseVerdict(fact({ signBy: null }), DEFAULT, T0 + 30 * D)).toBe('not_responded');
  });
});

describe('countedEvaluations', () => {
  it('keeps each case’s latest evaluation whatever order the facts come in; a tie goes to the later fact', () => {
    const early = ev('c1', T0 + H, { satisfaction: 'unsatisfied' });
    const late = ev('c1', T0 + 5 * H, { satisfaction: 'basically' });
    expect(countedEvaluations([late, early], DEFAULT)).toEqual([late]);
    expect(countedEvaluations([early, late], DEFAULT)).toEqual([late]);
    const again = ev('c1', T0 + 5 * H, { satisfaction: 'satisfied' });
    expect(countedEvaluations([late, again], DEFAULT)).toEqual([again]);
    expect(countedEvaluations([late, again, ev('c2', T0)], cfg({ evaluations: 'every' }))).toHaveLength(3);
    expect(countedEvaluations([ev('c3', T0, { merged: true })], cfg({ evaluations: 'every' }))).toEqual([]);
  });
});

describe('computeRates', () => {
  const query: RatesQuery = { from: T0, to: T0 + D, groupBy: 'unit', asOf: T0 + 30 * D };

  it('weighs every satisfaction answer by its own weight', () => {
    const evaluations = [ev('c1', T0, { satisfaction: 'satisfied' }), ev('c2', T0, { satisfaction: 'satisfied' }), ev('c3', T0, { satisfaction: 'basically' }), ev('c4', T0, { satisfaction: 'unsatisfied' })];
    const config = cfg({ satisfactionWeights: { satisfied: 0.5, basically: 0.25, unsatisfied: 0.125 } });
    const { total } = computeRates({ dispatches: [], evaluations }, query, config);
    // 2 × 0.5 + 1 × 0.25 + 1 × 0.125 = 1.375 of 4.
    expect(total.satisfiedWeighted).toBe(1.375);
    expect(total.satisfactionRate).toBe(1.375 / 4);
  });

  it('orders groups by key, the unknown key last, whatever order the facts came in', () => {
    const unit = (unitId: string | null, caseId: string): EvaluationFact => ev(caseId, T0 + H, { unitId });
    const keysOf = (order: (string | null)[]): (string | null)[] =>
      computeRates({ dispatches: [], evaluations: order.map((u, i) => unit(u, `c${i}`)) }, query).groups.map((g) => g.key);
    const sorted = ['unit.a', 'unit.b', 'unit.c', null];
    for (const order of [
      ['unit.c', null, 'unit.a', 'unit.b'],
      [null, 'unit.b', 'unit.c', 'unit.a'],
      ['unit.b', 'unit.a', null, 'unit.c'],
      ['unit.a', 'unit.c', 'unit.b', null],
    ]) {
      expect(keysOf(order)).toEqual(sorted);
    }
    // Dispatches group the same way.
    const dispatches = ['unit.b', 'unit.a'].map((unitId, i) => fact({ caseId: `d${i}`, unitId }));
    expect(computeRates({ dispatches, evaluations: [] }, query).groups.map((g) => g.key)).toEqual(['unit.a', 'unit.b']);
  });
});
