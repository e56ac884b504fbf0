import { describe, expect, it } from 'vitest';
import { caseFacts } from '../../../src/server/rates/facts';
import { shippedReferenceSet } from '../../../src/server/reference/reference-set';
import type { RateEventRow } from '../../../src/server/store/rates';

const H = 3_600_000;
const T0 = Date.UTC(2024, 4, 1);
const ref = shippedReferenceSet();

function row(kind: string, at: number, data: Record<string, unknown> | string, c: Partial<RateEventRow> = {}): RateEventRow {
  return {
    caseId: 'c1',
    at,
    kind,
    data: typeof data === 'string' ? data : JSON.stringify({ actorKind: 'unit', note: null, ...data }),
    districtCode: '110101',
    mergedInto: null,
    slaClass: 'utility',
    categoryCode: 'utility.water_outage',
    contactType: 'complaint',
    dispatchedAt: null,
    signBy: null,
    replyBy: null,
    ...c,
  };
}

describe('caseFacts', () => {
  it('splits a case into its dispatches, each with what its unit did before the case moved on', () => {
    const facts = caseFacts(
      [
        row('dispatch', T0, { unitId: 'u.a', signBy: T0 + 2 * H, replyBy: T0 + 24 * H }),
        row('return', T0 + H, { unitId: 'u.a' }),
        row('dispatch', T0 + 2 * H, { unitId: 'u.b', signBy: T0 + 4 * H, replyBy: T0 + 26 * H }),
        row('accept', T0 + 3 * H, { unitId: 'u.b' }),
        row('reply', T0 + 5 * H, { unitId: 'u.b', outcome: 'resolved', contactedAt: T0 + 3.5 * H }),
        row('evaluate', T0 + 6 * H, { resolved: true, satisfaction: 'basically' }),
      ],
      ref,
    );
    expect(facts.dispatches).toEqual([
      expect.objectContaining({ unitId: 'u.a', dispatchedAt: T0, signBy: T0 + 2 * H, returnedAt: T0 + H, acceptedAt: null, endedAt: T0 + 2 * H }),
      expect.objectContaining({ unitId: 'u.b', dispatchedAt: T0 + 2 * H, acceptedAt: T0 + 3 * H, repliedAt: T0 + 5 * H, contactedAt: T0 + 3.5 * H, endedAt: null }),
    ]);
    expect(facts.evaluations).toEqual([{ caseId: 'c1', unitId: 'u.b', districtCode: '110101', at: T0 + 6 * H, resolved: true, satisfaction: 'basically', merged: false, contactType: 'complaint' }]);
  });

  it('orders same-millisecond events by the lifecycle, whatever order the database returned', () => {
    const facts = caseFacts([row('accept', T0, {}), row('dispatch', T0, { unitId: 'u.a', signBy: T0 + H, replyBy: T0 + 2 * H })], ref);
    expect(facts.dispatches[0]).toMatchObject({ unitId: 'u.a', acceptedAt: T0 });
  });

  it('events without deadlines: the case columns for its latest dispatch, else the SLA policy again', () => {
    const cols = { dispatchedAt: T0 + 5 * H, signBy: T0 + 5 * H + 111, replyBy: T0 + 5 * H + 222 };
    const facts = caseFacts([row('dispatch', T0, { unitId: 'u.a' }, cols), row('dispatch', T0 + 5 * H, { unitId: 'u.b' }, cols)], ref);
    // utility: sign for within 2 h, reply within 24 h.
    expect(facts.dispatches.map((d) => [d.signBy, d.replyBy])).toEqual([
      [T0 + 2 * H, T0 + 24 * H],
      [T0 + 5 * H + 111, T0 + 5 * H + 222],
    ]);
  });

  it('marks the facts of a merged duplicate and skips events whose data does not parse', () => {
    const facts = caseFacts(
      [row('dispatch', T0, { unitId: 'u.a', signBy: null, replyBy: null }, { mergedInto: 'c9' }), row('evaluate', T0 + H, 'not json', { mergedInto: 'c9' }), row('merge', T0 + 2 * H, { into: 'S0001-000009' }, { mergedInto: 'c9' })],
      ref,
    );
    expect(facts.dispatches).toEqual([expect.objectContaining({ merged: true, endedAt: T0 + 2 * H, signBy: null })]);
    expect(facts.evaluations).toEqual([]);
    expect(facts.skipped).toBe(1);
  });
});
