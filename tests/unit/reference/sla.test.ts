import { describe, expect, it } from 'vitest';
import { SlaPolicy, computeDeadlines, deadlineState } from '../../../src/shared/reference';
import { loadBundle } from './load';

const policy = loadBundle().sla;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
// 2025-01-31 22:30 Beijing time: a Friday night before a month end — calendar time ignores both.
const DISPATCHED = Date.UTC(2025, 0, 31, 14, 30);

describe('computeDeadlines', () => {
  it.each([
    ['emergency', 30 * MIN, 2 * HOUR],
    ['utility', 2 * HOUR, 24 * HOUR],
    ['general', 24 * HOUR, 7 * DAY],
    ['complex', 24 * HOUR, 15 * DAY],
  ] as const)('%s: sign within %i ms, reply within %i ms of dispatch', (slaClass, sign, reply) => {
    expect(computeDeadlines(slaClass, DISPATCHED, policy)).toEqual({ signBy: DISPATCHED + sign, replyBy: DISPATCHED + reply });
  });

  it('counts nights, weekends and month ends as ordinary time', () => {
    const { replyBy } = computeDeadlines('general', DISPATCHED, policy);
    expect(new Date(replyBy).toISOString()).toBe('2025-02-07T14:30:00.000Z');
  });

  it('follows the policy data, not constants', () => {
    const tight: SlaPolicy = { ...policy, classes: { ...policy.classes, utility: { ...policy.classes.utility, signWithinMinutes: 15, replyWithinMinutes: 240 } } };
    expect(computeDeadlines('utility', 0, tight)).toEqual({ signBy: 15 * MIN, replyBy: 4 * HOUR });
  });

  it('rejects a policy whose sign-for deadline is after its reply deadline, or with a class missing', () => {
    const raw = structuredClone(policy);
    raw.classes.general.signWithinMinutes = raw.classes.general.replyWithinMinutes + 1;
    expect(SlaPolicy.safeParse(raw).success).toBe(false);
    const { emergency: _dropped, ...rest } = policy.classes;
    expect(SlaPolicy.safeParse({ ...policy, classes: rest }).success).toBe(false);
  });
});

describe('deadlineState', () => {
  const start = 0;
  const deadline = 2 * HOUR;
  it('is on time, then at risk after the policy fraction of the window, then overdue', () => {
    expect(policy.atRiskFraction).toBe(0.75);
    expect(deadlineState(start, deadline, 60 * MIN, policy)).toBe('on_time');
    expect(deadlineState(start, deadline, 90 * MIN - 1, policy)).toBe('on_time');
    expect(deadlineState(start, deadline, 90 * MIN, policy)).toBe('at_risk');
    expect(deadlineState(start, deadline, deadline, policy)).toBe('at_risk');
    expect(deadlineState(start, deadline, deadline + 1, policy)).toBe('overdue');
  });
});
