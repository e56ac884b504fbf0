import { describe, expect, it } from 'vitest';
import { amended, callbackAttempted, callerRevealed, repeatCalled, revealedTo, CaseChanges } from '../../../src/shared/domain/amend';
import { callbackDueAt, inWindow, localMinuteOfDay, nextInWindow, normalizePhone } from '../../../src/shared/domain/contact';
import { caseDeadlines, callbackRequired, dispatchDeadline, escalatedUrgency, timingOf } from '../../../src/shared/reference/sla';
import { shippedReferenceSet } from '../../../src/server/reference/reference-set';
import { caseRecord } from '../../helpers/fixtures';

const policy = shippedReferenceSet().sla;
const T0 = 1_750_000_000_000;
const H = 3_600_000;

// Hand-computed from the hotline's rules (not read back from sla.json): the hours a unit has to
// reply, by urgency (rows) and the category's class (columns). An emergency gets 2 h whatever its
// category; an urgent case at least the utility class's 24 h.
const REPLY_HOURS = {
  normal: { emergency: 2, utility: 24, general: 168, complex: 360 },
  urgent: { emergency: 2, utility: 24, general: 24, complex: 24 },
  emergency: { emergency: 2, utility: 2, general: 2, complex: 2 },
} as const;
const SIGN_HOURS = { emergency: 0.5, utility: 2, general: 24, complex: 24 } as const;
const CLASS_OF_REPLY: Record<number, keyof typeof SIGN_HOURS> = { 2: 'emergency', 24: 'utility', 168: 'general', 360: 'complex' };

describe('deadlines by urgency × class', () => {
  for (const [urgency, row] of Object.entries(REPLY_HOURS)) {
    for (const [slaClass, hours] of Object.entries(row)) {
      it(`${urgency} × ${slaClass}: reply within ${hours} h`, () => {
        const d = caseDeadlines(urgency as keyof typeof REPLY_HOURS, slaClass as keyof typeof SIGN_HOURS, T0, policy);
        expect(d.replyBy - T0).toBe(hours * H);
        expect(d.signBy - T0).toBe(SIGN_HOURS[CLASS_OF_REPLY[hours] ?? 'general'] * H);
      });
    }
  }

  it('a registered case must be dispatched within 10 min (emergency), 30 min (urgent) or 2 h (normal)', () => {
    expect(dispatchDeadline('emergency', T0, policy) - T0).toBe(10 * 60_000);
    expect(dispatchDeadline('urgent', T0, policy) - T0).toBe(30 * 60_000);
    expect(dispatchDeadline('normal', T0, policy) - T0).toBe(2 * H);
  });

  it('praise and suggestions need no callback; complaints, help, consultations and reports do', () => {
    expect(callbackRequired('praise', policy)).toBe(false);
    expect(callbackRequired('suggestion', policy)).toBe(false);
    for (const t of ['complaint', 'help', 'consultation', 'report'] as const) expect(callbackRequired(t, policy)).toBe(true);
  });

  it('repeat calls raise the urgency to urgent from the second repeat call, never lower', () => {
    expect(escalatedUrgency('normal', 1, policy)).toBe('normal');
    expect(escalatedUrgency('normal', 2, policy)).toBe('urgent');
    expect(escalatedUrgency('emergency', 5, policy)).toBe('emergency');
  });
});

describe('amendments of a case', () => {
  const timing = timingOf(policy, 'general');
  const ctx = { at: T0 + H, actor: { id: 'op-2', station: 'S0002' } };

  it('records what changed, from what, on the timeline; rev + 1', () => {
    const before = caseRecord({ createdAt: T0, dispatchBy: T0 + 2 * H });
    const after = amended(before, { contactType: 'report', language: 'en', interpreter: true }, ctx, timing);
    expect(after).toMatchObject({ contactType: 'report', language: 'en', interpreter: true, rev: before.rev + 1, updatedAt: ctx.at });
    expect(after.timeline.at(-1)).toEqual({
      at: ctx.at,
      kind: 'amended',
      actor: 'op-2',
      actorKind: 'staff',
      station: 'S0002',
      note: null,
      data: { changes: { contactType: { from: 'complaint', to: 'report' }, language: { from: 'zh', to: 'en' }, interpreter: { from: false, to: true } } },
    });
  });

  it('a field given with its current value is no change; with no change at all the case is untouched', () => {
    const before = caseRecord();
    expect(amended(before, { urgency: 'normal', language: 'zh' }, ctx, timing)).toBe(before);
  });

  it('a new urgency moves the dispatch deadline of a registered case, and the deadlines of a dispatch still running', () => {
    const registered = caseRecord({ createdAt: T0, dispatchBy: T0 + 2 * H });
    expect(amended(registered, { urgency: 'emergency' }, ctx, timing).dispatchBy).toBe(T0 + 10 * 60_000);
    const dispatched = caseRecord({ status: 'dispatched', createdAt: T0, dispatchedAt: T0 + H, signBy: T0 + 25 * H, replyBy: T0 + 169 * H });
    const now = amended(dispatched, { urgency: 'emergency' }, ctx, timing);
    expect(now).toMatchObject({ signBy: T0 + 1.5 * H, replyBy: T0 + 3 * H, urgency: 'emergency' });
    // A replied case keeps the deadlines it was judged by.
    const replied = caseRecord({ status: 'replied', dispatchedAt: T0, signBy: T0 + 24 * H, replyBy: T0 + 168 * H });
    expect(amended(replied, { urgency: 'emergency' }, ctx, timing)).toMatchObject({ signBy: T0 + 24 * H, replyBy: T0 + 168 * H });
  });

  it('refuses an empty change and unknown fields', () => {
    expect(CaseChanges.safeParse({}).success).toBe(false);
    expect(CaseChanges.safeParse({ status: 'closed' }).success).toBe(false);
    expect(CaseChanges.safeParse({ callbackPhone: '１３９ ００１３ ９０００' }).data).toEqual({ callbackPhone: '139 0013 9000' });
  });

  it('a repeat call counts, and the second one escalates a normal case to urgent with its deadlines', () => {
    const first = repeatCalled(caseRecord({ createdAt: T0, dispatchBy: T0 + 2 * H }), '又打来催', ctx, timing);
    expect(first).toMatchObject({ repeatCount: 1, urgency: 'normal' });
    expect(first.timeline.at(-1)).toMatchObject({ kind: 'repeat_call', note: '又打来催', data: { repeatCount: 1 } });
    const second = repeatCalled(first, '', ctx, timing);
    expect(second).toMatchObject({ repeatCount: 2, urgency: 'urgent', dispatchBy: T0 + 30 * 60_000 });
    expect(second.timeline.at(-1)).toMatchObject({ kind: 'repeat_call', note: null, data: { repeatCount: 2, urgency: { from: 'normal', to: 'urgent' } } });
  });

  it('a look at a confidential caller is on the timeline with its reason, for that user only', () => {
    const c = callerRevealed(caseRecord({ confidential: true }), '回访需要核实身份', ctx);
    expect(c.timeline.at(-1)).toMatchObject({ kind: 'caller_revealed', actor: 'op-2', note: '回访需要核实身份' });
    expect(revealedTo(c, 'op-2')).toBe(true);
    expect(revealedTo(c, 'op-3')).toBe(false);
  });
});

describe('phone numbers and callback windows', () => {
  it.each([
    ['１３８００１３８０００', '13800138000'],
    ['138.1234.5678', '138 1234 5678'],
    ['(010) 6512-3456', '010 6512-3456'],
    ['０１０－６５１２３４５６', '010-65123456'],
    ['\u3000１３８００１３８０００\u3000', '13800138000'],
  ])('%s → %s', (typed, normal) => {
    expect(normalizePhone(typed)).toBe(normal);
  });

  it('a window may wrap midnight', () => {
    expect(inWindow({ from: '18:00', to: '21:00' }, 19 * 60)).toBe(true);
    expect(inWindow({ from: '18:00', to: '21:00' }, 21 * 60)).toBe(false);
    expect(inWindow({ from: '22:00', to: '07:00' }, 23 * 60)).toBe(true);
    expect(inWindow({ from: '22:00', to: '07:00' }, 6 * 60 + 59)).toBe(true);
    expect(inWindow({ from: '22:00', to: '07:00' }, 12 * 60)).toBe(false);
  });
});

describe('callbacks', () => {
  // 2025-06-15 10:00 in Beijing (02:00 UTC).
  const tenAm = Date.UTC(2025, 5, 15, 2, 0);
  const M = 60_000;

  it('reads times of day in Beijing time', () => {
    expect(localMinuteOfDay(tenAm)).toBe(600);
    expect(localMinuteOfDay(Date.UTC(2025, 5, 15, 16, 30))).toBe(30);
  });

  it('the next moment inside a window: now if inside, else its next start (across midnight too)', () => {
    expect(nextInWindow({ from: '09:00', to: '12:00' }, tenAm)).toBe(tenAm);
    expect(nextInWindow({ from: '18:00', to: '21:00' }, tenAm)).toBe(tenAm + 8 * 60 * M);
    expect(nextInWindow({ from: '08:00', to: '09:00' }, tenAm)).toBe(tenAm + 22 * 60 * M);
    expect(nextInWindow({ from: '22:00', to: '07:00' }, tenAm + 30_000)).toBe(tenAm + 12 * 60 * M);
  });

  it('a case is due after its reply, or at the retry an unanswered call set, within the citizen’s window', () => {
    expect(callbackDueAt({ repliedAt: tenAm, nextCallbackAt: null, callbackWindow: null, updatedAt: 0 })).toBe(tenAm);
    expect(callbackDueAt({ repliedAt: tenAm, nextCallbackAt: tenAm + H, callbackWindow: null, updatedAt: 0 })).toBe(tenAm + H);
    expect(callbackDueAt({ repliedAt: tenAm, nextCallbackAt: null, callbackWindow: { from: '18:00', to: '21:00' }, updatedAt: 0 })).toBe(tenAm + 8 * H);
  });

  it('an unanswered callback is counted, on the timeline, with the next try', () => {
    const c = callbackAttempted(caseRecord({ status: 'replied' }), { outcome: 'unreachable', retryAt: tenAm + 2 * H, note: '' }, { at: tenAm, actor: { id: 'op-1', station: 'S0001' } });
    expect(c).toMatchObject({ callbackAttempts: 1, nextCallbackAt: tenAm + 2 * H });
    expect(c.timeline.at(-1)).toMatchObject({ kind: 'callback_attempt', note: null, data: { outcome: 'unreachable', attempt: 1, retryAt: tenAm + 2 * H } });
  });
});
