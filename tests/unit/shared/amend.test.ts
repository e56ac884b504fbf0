import { describe, expect, it } from 'vitest';
import type { CaseRecord, TimelineEvent } from '../../../src/shared/domain/case';
import { amended, callbackAttempted, callerRevealed, callerWithheld, repeatCalled, revealedTo, withoutCaller, type AmendContext, type Timing } from '../../../src/shared/domain/amend';
import type { Urgency } from '../../../src/shared/domain/contact';
import { caseRecord } from '../../helpers/fixtures';

// Changes to a case after registration (src/shared/domain/amend.ts), against a timing written
// here by hand rather than read from the SLA policy, so that each expectation is a plain number.

const M = 60_000;
const H = 60 * M;
const T0 = 1_750_000_000_000;
const ctx: AmendContext = { at: T0 + 5 * H, actor: { id: 'op-2', station: 'S0002' } };

const DISPATCH_WITHIN: Record<Urgency, number> = { normal: 120 * M, urgent: 30 * M, emergency: 10 * M };
const REPLY_WITHIN: Record<Urgency, number> = { normal: 168 * H, urgent: 24 * H, emergency: 2 * H };
const SIGN_WITHIN: Record<Urgency, number> = { normal: 24 * H, urgent: 2 * H, emergency: 30 * M };
const timing: Timing = {
  dispatchBy: (urgency, registeredAt) => registeredAt + DISPATCH_WITHIN[urgency],
  deadlines: (urgency, dispatchedAt) => ({ signBy: dispatchedAt + SIGN_WITHIN[urgency], replyBy: dispatchedAt + REPLY_WITHIN[urgency] }),
  // From the second repeat call on, at least urgent.
  escalate: (urgency, repeatCount) => (repeatCount >= 2 && urgency === 'normal' ? 'urgent' : urgency),
};
/** No SLA policy known here: no deadline changes. */
const noTiming: Timing = { dispatchBy: () => null, deadlines: () => null, escalate: (u) => u };

const registeredEvent: TimelineEvent = { at: T0, kind: 'registered', actor: 'op-1', actorKind: 'staff', station: 'S0001', note: null, data: { channel: 'phone' } };
const staffEvent = (kind: string, note: string | null, data: Record<string, unknown>): TimelineEvent => ({ at: ctx.at, kind, actor: 'op-2', actorKind: 'staff', station: 'S0002', note, data });

function record(patch: Partial<CaseRecord> = {}): CaseRecord {
  return caseRecord({ createdAt: T0, updatedAt: T0, rev: 4, dispatchBy: T0 + 120 * M, createdBy: 'op-1', timeline: [registeredEvent], ...patch });
}

describe('amended', () => {
  it('returns the whole record with the changes, rev + 1, updatedAt and one amended event', () => {
    const before = record();
    const after = amended(before, { language: 'en', interpreter: true, callbackPhone: '13900139000' }, ctx, timing);
    expect(after).toEqual({
      ...before,
      language: 'en',
      interpreter: true,
      callbackPhone: '13900139000',
      rev: 5,
      updatedAt: ctx.at,
      timeline: [
        registeredEvent,
        staffEvent('amended', null, { changes: { language: { from: 'zh', to: 'en' }, interpreter: { from: false, to: true }, callbackPhone: { from: null, to: '13900139000' } } }),
      ],
    });
  });

  it('a change of urgency moves the dispatch deadline of a registered case and leaves its (absent) dispatch alone', () => {
    const after = amended(record(), { urgency: 'urgent' }, ctx, timing);
    expect(after).toMatchObject({ urgency: 'urgent', dispatchBy: T0 + 30 * M, signBy: null, replyBy: null });
  });

  it.each(['dispatched', 'accepted'] as const)('a change of urgency moves the deadlines of a dispatch still with the unit (%s)', (status) => {
    const before = record({ status, dispatchedAt: T0 + H, signBy: T0 + 25 * H, replyBy: T0 + 169 * H });
    expect(amended(before, { urgency: 'emergency' }, ctx, timing)).toMatchObject({ urgency: 'emergency', dispatchBy: T0 + 10 * M, signBy: T0 + H + 30 * M, replyBy: T0 + 3 * H });
  });

  it.each(['returned', 'replied', 'evaluated', 'closed'] as const)('a %s case keeps the deadlines its last dispatch was judged by', (status) => {
    const before = record({ status, dispatchedAt: T0 + H, signBy: T0 + 25 * H, replyBy: T0 + 169 * H });
    expect(amended(before, { urgency: 'emergency' }, ctx, timing)).toMatchObject({ signBy: T0 + 25 * H, replyBy: T0 + 169 * H });
  });

  it('without a policy the deadlines stay as they were', () => {
    const before = record({ status: 'dispatched', dispatchedAt: T0 + H, signBy: T0 + 25 * H, replyBy: T0 + 169 * H });
    expect(amended(before, { urgency: 'emergency' }, ctx, noTiming)).toMatchObject({ urgency: 'emergency', dispatchBy: T0 + 120 * M, signBy: T0 + 25 * H, replyBy: T0 + 169 * H });
  });

  it('a change that is no change (deep-equal too) returns the very same record', () => {
    const before = record({ callbackWindow: { from: '18:00', to: '21:00' } });
    expect(amended(before, { callbackWindow: { from: '18:00', to: '21:00' }, urgency: 'normal' }, ctx, timing)).toBe(before);
  });
});

describe('repeatCalled', () => {
  it('counts the call with its note; no escalation below the policy’s count', () => {
    const before = record();
    expect(repeatCalled(before, '又打来催', ctx, timing)).toEqual({
      ...before,
      repeatCount: 1,
      rev: 5,
      updatedAt: ctx.at,
      timeline: [registeredEvent, staffEvent('repeat_call', '又打来催', { repeatCount: 1 })],
    });
  });

  it('escalates an open case at the policy’s count, with its deadlines; an empty note is null', () => {
    const before = record({ repeatCount: 1 });
    expect(repeatCalled(before, '', ctx, timing)).toEqual({
      ...before,
      urgency: 'urgent',
      dispatchBy: T0 + 30 * M,
      repeatCount: 2,
      rev: 5,
      updatedAt: ctx.at,
      timeline: [registeredEvent, staffEvent('repeat_call', null, { repeatCount: 2, urgency: { from: 'normal', to: 'urgent' } })],
    });
  });

  it('a case already as urgent as the policy asks is not escalated again', () => {
    const before = record({ repeatCount: 3, urgency: 'emergency' });
    const after = repeatCalled(before, '', ctx, timing);
    expect(after).toMatchObject({ urgency: 'emergency', repeatCount: 4, dispatchBy: before.dispatchBy });
    expect(after.timeline.at(-1)?.data).toEqual({ repeatCount: 4 });
  });

  it('a closed case is counted but never escalated', () => {
    const after = repeatCalled(record({ status: 'closed', repeatCount: 5 }), '', ctx, timing);
    expect(after).toMatchObject({ urgency: 'normal', repeatCount: 6 });
    expect(after.timeline.at(-1)?.data).toEqual({ repeatCount: 6 });
  });
});

describe('a confidential caller', () => {
  const confidential = record({ confidential: true, callerName: '李女士', callerPhone: '13700137000', callbackPhone: '13600136000' });

  it('callerRevealed: rev + 1 and the reason on the timeline, nothing else', () => {
    expect(callerRevealed(confidential, '回访需要核实身份', ctx)).toEqual({
      ...confidential,
      rev: 5,
      updatedAt: ctx.at,
      timeline: [registeredEvent, staffEvent('caller_revealed', '回访需要核实身份', {})],
    });
  });

  it('revealedTo: only a caller_revealed event of that user counts', () => {
    // op-1 registered the case (an event of theirs, not a reveal); op-2 revealed.
    const revealed = callerRevealed(confidential, '回访需要核实身份', ctx);
    expect(revealedTo(revealed, 'op-2')).toBe(true);
    expect(revealedTo(revealed, 'op-1')).toBe(false);
    expect(revealedTo(revealed, 'op-3')).toBe(false);
    expect(revealedTo(confidential, 'op-2')).toBe(false);
  });

  it('callerWithheld: from everyone but the registering operator, until they reveal it', () => {
    expect(callerWithheld(confidential, 'op-1')).toBe(false);
    expect(callerWithheld(confidential, 'op-2')).toBe(true);
    expect(callerWithheld(callerRevealed(confidential, '回访需要核实身份', ctx), 'op-2')).toBe(false);
    expect(callerWithheld(callerRevealed(confidential, '回访需要核实身份', ctx), 'op-3')).toBe(true);
    expect(callerWithheld({ ...confidential, confidential: false }, 'op-2')).toBe(false);
  });

  it('withoutCaller blanks the name and both numbers, nothing else', () => {
    expect(withoutCaller(confidential)).toEqual({ ...confidential, callerName: '', callerPhone: '', callbackPhone: null });
    expect(confidential.callerName).toBe('李女士');
  });
});

describe('callbackAttempted', () => {
  it('counts the attempt, schedules the retry, rev + 1, and notes it on the timeline', () => {
    const before = record({ status: 'replied', callbackAttempts: 1 });
    expect(callbackAttempted(before, { outcome: 'busy', retryAt: T0 + 8 * H, note: '占线' }, ctx)).toEqual({
      ...before,
      callbackAttempts: 2,
      nextCallbackAt: T0 + 8 * H,
      rev: 5,
      updatedAt: ctx.at,
      timeline: [registeredEvent, staffEvent('callback_attempt', '占线', { outcome: 'busy', attempt: 2, retryAt: T0 + 8 * H })],
    });
  });
});
