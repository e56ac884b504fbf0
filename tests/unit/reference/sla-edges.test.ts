import { describe, expect, it } from 'vitest';
import { deadlineState, SlaClassPolicy } from '../../../src/shared/reference';
import { loadBundle } from './load';

const policy = loadBundle().sla;
const M = 60_000;

describe('SLA edges', () => {
  it('the sign-for deadline may equal the reply deadline, not pass it', () => {
    const names = { nameZh: '紧急', nameEn: 'Emergency' };
    expect(SlaClassPolicy.safeParse({ ...names, signWithinMinutes: 60, replyWithinMinutes: 60 }).success).toBe(true);
    const late = SlaClassPolicy.safeParse({ ...names, signWithinMinutes: 61, replyWithinMinutes: 60 });
    expect(late.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['signWithinMinutes', 'sign_after_reply']]);
  });

  it('deadlineState measures the window from its start, not from 0', () => {
    // A 100-minute window from 10:00 (at risk from 75 % of it: 11:15).
    const start = Date.UTC(2025, 0, 1, 2, 0);
    const deadline = start + 100 * M;
    expect(policy.atRiskFraction).toBe(0.75);
    expect(deadlineState(start, deadline, start, policy)).toBe('on_time');
    expect(deadlineState(start, deadline, start + 75 * M - 1, policy)).toBe('on_time');
    expect(deadlineState(start, deadline, start + 75 * M, policy)).toBe('at_risk');
    expect(deadlineState(start, deadline, deadline, policy)).toBe('at_risk');
    expect(deadlineState(start, deadline, deadline + 1, policy)).toBe('overdue');
  });

  it('a window of no length is never at risk: on time up to its deadline, then overdue', () => {
    const t = Date.UTC(2025, 0, 1, 2, 0);
    expect(deadlineState(t, t, t, policy)).toBe('on_time');
    expect(deadlineState(t, t, t + 1, policy)).toBe('overdue');
  });
});
