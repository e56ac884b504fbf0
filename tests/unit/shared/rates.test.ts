import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATES_CONFIG,
  RatesConfig,
  RatesReport,
  computeRates,
  responseVerdict,
  type DispatchFact,
  type EvaluationFact,
  type RatesConfigInput,
  type RatesQuery,
} from '../../../src/shared/domain/rates';

const H = 3_600_000;
const D = 24 * H;
/** The period under test is [T0, T0 + 1 day). */
const T0 = Date.UTC(2025, 4, 1, 0, 0, 0);
const LATER = T0 + 30 * D;

const cfg = (input: RatesConfigInput = {}): RatesConfig => RatesConfig.parse(input);

function dispatch(caseId: string, unitId: string, districtCode: string | null, fields: Partial<DispatchFact> = {}): DispatchFact {
  const dispatchedAt = fields.dispatchedAt ?? T0;
  return {
    caseId,
    unitId,
    districtCode,
    dispatchedAt,
    signBy: dispatchedAt + D,
    replyBy: dispatchedAt + 7 * D,
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

function evaluation(caseId: string, unitId: string, districtCode: string | null, at: number, resolved: boolean, satisfaction: EvaluationFact['satisfaction'], merged = false): EvaluationFact {
  return { caseId, unitId, districtCode, at, resolved, satisfaction, merged, contactType: 'complaint' };
}

const DONG = '110101';
const CHAO = '110105';

// Dispatches (signBy = dispatch + 24 h unless stated):
//   d1 c1 A Dongcheng: signed +1h, contact +2h                 → responded
//   d2 c2 A Dongcheng: signed +1h, contact +25h (after signBy) → not responded
//   d3 c3 A Dongcheng: signed +25h (late), contact +3h         → not responded
//   d4 c4 A Chaoyang:  returned +2h                             → not responded (returned: notResponded)
//   d8 c4 B Chaoyang:  re-dispatch +2h, signed +3h, contact +4h → responded (counts for B)
//   d9 c9 B no district: signed +4h, replied +5h, no contact reported → not responded (contact: reported)
//   d5 c5 A Dongcheng: merged duplicate                         → excluded
//   d6 c6 A: dispatched at T0 + 1 day (the period's end)        → outside [from, to)
//   d7 c7 A: dispatched 1 ms before T0                           → outside
const DISPATCHES: DispatchFact[] = [
  dispatch('c1', 'unit.a', DONG, { acceptedAt: T0 + H, repliedAt: T0 + 30 * H, contactedAt: T0 + 2 * H }),
  dispatch('c2', 'unit.a', DONG, { acceptedAt: T0 + H, repliedAt: T0 + 30 * H, contactedAt: T0 + 25 * H }),
  dispatch('c3', 'unit.a', DONG, { acceptedAt: T0 + 25 * H, repliedAt: T0 + 26 * H, contactedAt: T0 + 3 * H }),
  dispatch('c4', 'unit.a', CHAO, { returnedAt: T0 + 2 * H, endedAt: T0 + 2 * H }),
  dispatch('c4', 'unit.b', CHAO, { dispatchedAt: T0 + 2 * H, acceptedAt: T0 + 3 * H, repliedAt: T0 + 10 * H, contactedAt: T0 + 4 * H }),
  dispatch('c9', 'unit.b', null, { acceptedAt: T0 + 4 * H, repliedAt: T0 + 5 * H }),
  dispatch('c5', 'unit.a', DONG, { acceptedAt: T0 + H, repliedAt: T0 + 2 * H, contactedAt: T0 + H, merged: true }),
  dispatch('c6', 'unit.a', DONG, { dispatchedAt: T0 + D, acceptedAt: T0 + D + H, repliedAt: T0 + D + 2 * H, contactedAt: T0 + D + H }),
  dispatch('c7', 'unit.a', DONG, { dispatchedAt: T0 - 1, acceptedAt: T0 + H, repliedAt: T0 + 2 * H, contactedAt: T0 + H }),
];

// Evaluations:
//   e1 A Dongcheng +1h resolved satisfied
//   e2 A Dongcheng +2h unresolved basically
//   e3 Chaoyang, reopened: +3h by A unresolved unsatisfied, then +5h by B resolved satisfied
//   e4 A merged duplicate, resolved satisfied                 → excluded
//   e5 A at T0 + 1 day                                        → outside
//   e6 B Chaoyang +6h resolved satisfied, evaluated again at T0 + 2 days unresolved unsatisfied
const EVALUATIONS: EvaluationFact[] = [
  evaluation('e1', 'unit.a', DONG, T0 + H, true, 'satisfied'),
  evaluation('e2', 'unit.a', DONG, T0 + 2 * H, false, 'basically'),
  evaluation('e3', 'unit.a', CHAO, T0 + 3 * H, false, 'unsatisfied'),
  evaluation('e3', 'unit.b', CHAO, T0 + 5 * H, true, 'satisfied'),
  evaluation('e4', 'unit.a', DONG, T0 + H, true, 'satisfied', true),
  evaluation('e5', 'unit.a', DONG, T0 + D, true, 'satisfied'),
  evaluation('e6', 'unit.b', CHAO, T0 + 6 * H, true, 'satisfied'),
  evaluation('e6', 'unit.b', CHAO, T0 + 2 * D, false, 'unsatisfied'),
];

const FACTS = { dispatches: DISPATCHES, evaluations: EVALUATIONS };
const byUnit: RatesQuery = { from: T0, to: T0 + D, groupBy: 'unit', asOf: LATER };

const group = (report: RatesReport, key: string | null) => report.groups.find((g) => g.key === key);

describe('rates with the default policy', () => {
  it('defaults are those docs/rates.md states', () => {
    expect(DEFAULT_RATES_CONFIG).toEqual({
      response: { contact: 'reported', contactDeadline: 'signBy', returned: 'notResponded', pending: 'exclude' },
      evaluations: 'latest',
      satisfactionWeights: { satisfied: 1, basically: 0, unsatisfied: 0 },
    });
  });

  it('per unit', () => {
    const report = RatesReport.parse(computeRates(FACTS, byUnit));
    expect(report.groups.map((g) => g.key)).toEqual(['unit.a', 'unit.b']);
    // A: d1 d2 d3 d4 dispatched, d1 responded → 1/4. Evaluations e1, e2 (e3's first evaluation is
    // superseded by its latest, which is B's): resolved 1 of 2; satisfied 1×1 + basically 1×0 → 1/2.
    expect(group(report, 'unit.a')).toMatchObject({
      dispatched: 4,
      pending: 0,
      responded: 1,
      responseRate: 0.25,
      evaluated: 2,
      resolved: 1,
      satisfaction: { satisfied: 1, basically: 1, unsatisfied: 0 },
      satisfiedWeighted: 1,
      resolutionRate: 0.5,
      satisfactionRate: 0.5,
    });
    // B: d8 responded, d9 not (no contact reported) → 1/2. e3's latest (resolved, satisfied) → 1/1;
    // e6's evaluation at +6h is superseded by its re-evaluation after the period → not counted.
    expect(group(report, 'unit.b')).toMatchObject({ dispatched: 2, responded: 1, responseRate: 0.5, evaluated: 1, resolved: 1, resolutionRate: 1, satisfactionRate: 1 });
    // Total: 6 dispatched, 2 responded → 1/3; 3 evaluated, 2 resolved, 2 satisfied → 2/3 and 2/3.
    expect(report.total).toMatchObject({ dispatched: 6, responded: 2, evaluated: 3, resolved: 2, satisfiedWeighted: 2 });
    expect(report.total.responseRate).toBeCloseTo(1 / 3, 12);
    expect(report.total.resolutionRate).toBeCloseTo(2 / 3, 12);
    expect(report.total.satisfactionRate).toBeCloseTo(2 / 3, 12);
  });

  it('per district of the case, unknown districts last', () => {
    const report = computeRates(FACTS, { ...byUnit, groupBy: 'district' });
    expect(report.groups.map((g) => g.key)).toEqual([DONG, CHAO, null]);
    // Dongcheng: d1 d2 d3 → 1/3; e1 e2 → resolved 1/2, satisfied 1/2.
    expect(group(report, DONG)).toMatchObject({ dispatched: 3, responded: 1, evaluated: 2, resolved: 1, resolutionRate: 0.5, satisfactionRate: 0.5 });
    expect(group(report, DONG)?.responseRate).toBeCloseTo(1 / 3, 12);
    // Chaoyang: d4 (A, returned) and d8 (B, responded) → 1/2; e3's latest → 1/1.
    expect(group(report, CHAO)).toMatchObject({ dispatched: 2, responded: 1, responseRate: 0.5, evaluated: 1, resolved: 1, resolutionRate: 1, satisfactionRate: 1 });
    // No district: d9 → 0/1, nothing evaluated → null rates with the denominator shown as 0.
    expect(group(report, null)).toMatchObject({ dispatched: 1, responded: 0, responseRate: 0, evaluated: 0, resolutionRate: null, satisfactionRate: null });
    // Totals do not depend on the grouping.
    expect(report.total).toEqual(computeRates(FACTS, byUnit).total);
  });

  it('filters by unit and by district; totals cover what the filter keeps', () => {
    const a = computeRates(FACTS, { ...byUnit, unitId: 'unit.a' });
    expect(a.groups.map((g) => g.key)).toEqual(['unit.a']);
    expect({ ...group(a, 'unit.a'), key: undefined }).toEqual(a.total);
    expect(a.total).toMatchObject({ dispatched: 4, responded: 1, evaluated: 2 });
    // Units working in Chaoyang: A's d4 (0/1) and B's d8 (1/1); e3's latest is B's (1 evaluated).
    const chao = computeRates(FACTS, { ...byUnit, districtCode: CHAO });
    expect(chao.groups.map((g) => [g.key, g.dispatched, g.responded, g.evaluated])).toEqual([
      ['unit.a', 1, 0, 0],
      ['unit.b', 1, 1, 1],
    ]);
  });

  it('no facts at all: no groups, zero denominators, null rates (never NaN)', () => {
    const report = RatesReport.parse(computeRates({ dispatches: [], evaluations: [] }, byUnit));
    expect(report.groups).toEqual([]);
    expect(report.total).toMatchObject({ dispatched: 0, pending: 0, evaluated: 0, responseRate: null, resolutionRate: null, satisfactionRate: null });
  });

  it('a group with dispatches but no evaluations reports null resolution and satisfaction', () => {
    const report = computeRates({ dispatches: [DISPATCHES[0] as DispatchFact], evaluations: [] }, byUnit);
    expect(report.groups[0]).toMatchObject({ key: 'unit.a', dispatched: 1, responded: 1, responseRate: 1, evaluated: 0, resolved: 0, satisfiedWeighted: 0, resolutionRate: null, satisfactionRate: null });
  });
});

describe('rates under other policies', () => {
  it('every evaluation counts, basically weighs 0.8', () => {
    const config = cfg({ evaluations: 'every', satisfactionWeights: { basically: 0.8 } });
    const report = computeRates(FACTS, byUnit, config);
    // A: e1 (resolved, satisfied), e2 (basically), e3 first (unsatisfied) → resolved 1/3;
    //    weighted 1 + 0.8 + 0 = 1.8 → 1.8/3 = 0.6.
    expect(group(report, 'unit.a')).toMatchObject({ evaluated: 3, resolved: 1, satisfiedWeighted: 1.8 });
    expect(group(report, 'unit.a')?.resolutionRate).toBeCloseTo(1 / 3, 12);
    expect(group(report, 'unit.a')?.satisfactionRate).toBeCloseTo(0.6, 12);
    // B: e3 latest and e6 at +6h (its re-evaluation is outside the period) → 2/2 and 2/2.
    expect(group(report, 'unit.b')).toMatchObject({ evaluated: 2, resolved: 2, satisfiedWeighted: 2, resolutionRate: 1, satisfactionRate: 1 });
    // Total: 5 evaluated, 3 resolved → 0.6; weighted 3 + 0.8 = 3.8 → 0.76.
    expect(report.total).toMatchObject({ evaluated: 5, resolved: 3, satisfiedWeighted: 3.8 });
    expect(report.total.satisfactionRate).toBeCloseTo(0.76, 12);
  });

  it('the latest evaluation counts in the period it was made in', () => {
    // e6's latest evaluation (T0 + 2 days, unresolved, unsatisfied) falls in [T0 + 1 day, T0 + 3 days), with e5.
    const report = computeRates(FACTS, { ...byUnit, from: T0 + D, to: T0 + 3 * D });
    expect(group(report, 'unit.b')).toMatchObject({ evaluated: 1, resolved: 0, resolutionRate: 0, satisfactionRate: 0 });
    // e5 at exactly T0 + 1 day is inside this period (from is inclusive) and d6 too.
    expect(group(report, 'unit.a')).toMatchObject({ evaluated: 1, resolved: 1, dispatched: 1, responded: 1 });
  });

  it('returned dispatches: excluded from the unit, or judged as usual', () => {
    // exclude: A keeps d1 d2 d3 → 1/3; B unchanged.
    const excluded = computeRates(FACTS, byUnit, cfg({ response: { returned: 'exclude' } }));
    expect(group(excluded, 'unit.a')).toMatchObject({ dispatched: 3, responded: 1 });
    // asUsual: d4 was never signed for → still not responded, 1/4.
    const usual = computeRates(FACTS, byUnit, cfg({ response: { returned: 'asUsual' } }));
    expect(group(usual, 'unit.a')).toMatchObject({ dispatched: 4, responded: 1 });
    // asUsual with contact implied by signing for: signed +1h, returned +2h → responded.
    const signedThenReturned = dispatch('c4', 'unit.a', CHAO, { acceptedAt: T0 + H, returnedAt: T0 + 2 * H, endedAt: T0 + 2 * H });
    expect(responseVerdict(signedThenReturned, cfg({ response: { returned: 'asUsual', contact: 'accept' } }), LATER)).toBe('responded');
    expect(responseVerdict(signedThenReturned, DEFAULT_RATES_CONFIG, LATER)).toBe('not_responded');
  });

  it('contact sources and deadlines', () => {
    // reportedOrReply / reply: d9 replied at +5h ≤ signBy → responded; B becomes 2/2.
    expect(group(computeRates(FACTS, byUnit, cfg({ response: { contact: 'reportedOrReply' } })), 'unit.b')).toMatchObject({ responded: 2 });
    expect(group(computeRates(FACTS, byUnit, cfg({ response: { contact: 'reply' } })), 'unit.b')).toMatchObject({ responded: 2 });
    // reply: A's d1 and d2 replied at +30h > signBy (+24h) → 0 of 4 for A.
    expect(group(computeRates(FACTS, byUnit, cfg({ response: { contact: 'reply' } })), 'unit.a')).toMatchObject({ responded: 0 });
    // accept: signing for in time is enough → A: d1 d2 (d3 signed late, d4 returned) → 2/4.
    expect(group(computeRates(FACTS, byUnit, cfg({ response: { contact: 'accept' } })), 'unit.a')).toMatchObject({ responded: 2, responseRate: 0.5 });
    // contact by the reply deadline: d2's contact at +25h ≤ +7 days → A: d1 d2 → 2/4.
    expect(group(computeRates(FACTS, byUnit, cfg({ response: { contactDeadline: 'replyBy' } })), 'unit.a')).toMatchObject({ responded: 2 });
    // contact within 60 minutes of dispatch: d1's contact at +2h is late → A: 0/4; B's d8 (dispatched +2h, contact +4h) late → B 0/2.
    const hour = computeRates(FACTS, byUnit, cfg({ response: { contactDeadline: { afterDispatchMinutes: 60 } } }));
    expect(hour.total).toMatchObject({ dispatched: 6, responded: 0, responseRate: 0 });
  });

  it('rejects weights outside [0, 1] and unknown keys', () => {
    expect(RatesConfig.safeParse({ satisfactionWeights: { basically: 1.5 } }).success).toBe(false);
    expect(RatesConfig.safeParse({ response: { returned: 'maybe' } }).success).toBe(false);
    expect(RatesConfig.safeParse({ weights: {} }).success).toBe(false);
  });
});

describe('dispatches still running', () => {
  // Dispatched at T0 + 1h: signBy T0 + 25h, replyBy T0 + 7 days + 1h.
  const open = dispatch('c10', 'unit.a', DONG, { dispatchedAt: T0 + H });

  it('are pending while a deadline runs, left out of the denominator', () => {
    expect(responseVerdict(open, DEFAULT_RATES_CONFIG, T0 + 2 * H)).toBe('pending');
    // With d1 (responded) in the period too: 2 dispatched, 1 pending → 1/(2 − 1) = 1.
    const report = computeRates({ dispatches: [DISPATCHES[0] as DispatchFact, open], evaluations: [] }, { ...byUnit, asOf: T0 + 2 * H });
    expect(report.total).toMatchObject({ dispatched: 2, pending: 1, responded: 1, responseRate: 1 });
    // Only pending dispatches: the rate is null, not 0.
    expect(computeRates({ dispatches: [open], evaluations: [] }, { ...byUnit, asOf: T0 + 2 * H }).total).toMatchObject({ dispatched: 1, pending: 1, responseRate: null });
    // pending: notResponded → 0/1.
    expect(responseVerdict(open, cfg({ response: { pending: 'notResponded' } }), T0 + 2 * H)).toBe('not_responded');
  });

  it('are decided once the sign-for deadline passes unsigned, at the deadline itself still in time', () => {
    expect(responseVerdict(open, DEFAULT_RATES_CONFIG, T0 + 25 * H)).toBe('pending');
    expect(responseVerdict(open, DEFAULT_RATES_CONFIG, T0 + 25 * H + 1)).toBe('not_responded');
    const signedAtDeadline = { ...open, acceptedAt: T0 + 25 * H, repliedAt: T0 + 30 * H, contactedAt: T0 + 25 * H };
    expect(responseVerdict(signedAtDeadline, DEFAULT_RATES_CONFIG, LATER)).toBe('responded');
    expect(responseVerdict({ ...signedAtDeadline, acceptedAt: T0 + 25 * H + 1 }, DEFAULT_RATES_CONFIG, LATER)).toBe('not_responded');
  });

  it('signed for in time, contact reported with a reply that may still come: pending until the reply deadline', () => {
    const signed = { ...open, acceptedAt: T0 + 2 * H };
    expect(responseVerdict(signed, DEFAULT_RATES_CONFIG, T0 + 3 * D)).toBe('pending');
    expect(responseVerdict(signed, DEFAULT_RATES_CONFIG, T0 + 8 * D)).toBe('not_responded');
    // Signing for implies contact: decided at once.
    expect(responseVerdict(signed, cfg({ response: { contact: 'accept' } }), T0 + 3 * H)).toBe('responded');
    // Re-dispatched elsewhere before replying: over, not responded.
    expect(responseVerdict({ ...signed, endedAt: T0 + 5 * H }, DEFAULT_RATES_CONFIG, T0 + 6 * H)).toBe('not_responded');
  });
});
