import { describe, expect, it } from 'vitest';
import { CaseStatus, type CaseRecord } from '../../../src/shared/domain/case';
import {
  absorb,
  allowedFrom,
  checkStep,
  isOpen,
  LifecycleAction,
  LifecycleError,
  Step,
  TRANSITIONS,
  transition,
  type StepContext,
  type StepInput,
} from '../../../src/shared/domain/lifecycle';
import { caseRecord } from '../../helpers/fixtures';

const T0 = 1_760_000_000_000;
const staff: StepContext = { at: T0 + 1000, actor: { kind: 'staff', id: 'op1', station: 'S0001' } };
const unit: StepContext = { at: T0 + 2000, actor: { kind: 'unit', id: 'street.110105001', station: 'street.110105001' } };

/** A valid step of each action, to try from every status. */
const SAMPLE: Record<LifecycleAction, StepInput> = {
  answer: { action: 'answer', answer: '社保卡补办请携带身份证到就近社保网点' },
  dispatch: { action: 'dispatch', unitId: 'street.110105001' },
  accept: { action: 'accept' },
  return: { action: 'return', reason: '不属于本街道管辖' },
  reply: { action: 'reply', outcome: 'resolved', text: '已联系施工方停止夜间施工', contactedAt: T0 + 1500 },
  evaluate: { action: 'evaluate', resolved: true, satisfaction: 'satisfied', words: '很满意' },
  close: { action: 'close' },
  reopen: { action: 'reopen', reason: '市民反映问题再次出现' },
  merge: { action: 'merge', intoCaseId: '00000000-0000-4000-8000-000000000001', intoNumber: 'S0001-000099' },
};

const at = (status: CaseStatus, patch: Partial<CaseRecord> = {}): CaseRecord => caseRecord({ status, unitId: 'bureau.housing', ...patch });
const ctxFor = (action: LifecycleAction): StepContext => (TRANSITIONS[action].by === 'unit' ? unit : staff);

describe('the transition table', () => {
  // Every (status, action) pair: legal exactly when the table says so, with the target status.
  const pairs = CaseStatus.options.flatMap((status) => LifecycleAction.options.map((action) => [status, action] as const));
  it.each(pairs)('%s + %s follows the table', (status, action) => {
    const step = Step.parse(SAMPLE[action]);
    const legal = allowedFrom(action).includes(status);
    if (legal) {
      const next = transition(at(status), step, ctxFor(action));
      expect(next.status).toBe(TRANSITIONS[action].to);
      expect(next.rev).toBe(2);
      expect(next.timeline.at(-1)).toMatchObject({ kind: action, actor: ctxFor(action).actor.id, actorKind: ctxFor(action).actor.kind });
    } else {
      expect(() => transition(at(status), step, ctxFor(action))).toThrow(LifecycleError);
      expect(checkStep(status, step, ctxFor(action).actor.kind)?.code).toBe('illegal_transition');
    }
  });

  it('states DESIGN.md’s paths', () => {
    const path = (start: CaseStatus, actions: LifecycleAction[]): CaseStatus[] => {
      let record = at(start);
      return actions.map((a) => {
        record = transition(record, Step.parse(SAMPLE[a]), ctxFor(a));
        return record.status;
      });
    };
    expect(path('registered', ['answer', 'close'])).toEqual(['answered', 'closed']);
    expect(path('registered', ['dispatch', 'accept', 'reply', 'evaluate', 'close'])).toEqual(['dispatched', 'accepted', 'replied', 'evaluated', 'closed']);
    expect(path('closed', ['reopen', 'dispatch'])).toEqual(['reopened', 'dispatched']);
    expect(path('evaluated', ['reopen'])).toEqual(['reopened']);
  });

  it('refuses a step by the wrong kind of actor with its own code', () => {
    expect(checkStep('dispatched', Step.parse(SAMPLE.accept), 'staff')?.code).toBe('wrong_actor');
    expect(checkStep('registered', Step.parse(SAMPLE.dispatch), 'unit')?.code).toBe('wrong_actor');
    // The server itself (Open311 intake) may take any step.
    expect(checkStep('registered', Step.parse(SAMPLE.dispatch), 'system')).toBeNull();
  });

  it('names the allowed statuses in the reason', () => {
    expect(() => transition(at('closed'), Step.parse(SAMPLE.dispatch), staff)).toThrow(/cannot dispatch a case that is closed \(allowed from: registered, returned, reopened\)/);
  });

  it('open means not closed and not merged', () => {
    expect(CaseStatus.options.filter((s) => !isOpen(s))).toEqual(['closed', 'merged']);
  });
});

describe('what each step records', () => {
  it('dispatch: the unit, the time, the deadlines given, a fresh round', () => {
    const before = at('returned', { unitId: 'bureau.housing', reply: { outcome: 'explained', text: 'x', contactedAt: null, at: 1 }, dispatchCount: 1 });
    const next = transition(before, Step.parse({ action: 'dispatch', unitId: 'street.110105001', note: '按属地' }), {
      ...staff,
      deadlines: { signBy: staff.at + 60_000, replyBy: staff.at + 120_000 },
    });
    expect(next).toMatchObject({
      status: 'dispatched',
      unitId: 'street.110105001',
      dispatchedAt: staff.at,
      signBy: staff.at + 60_000,
      replyBy: staff.at + 120_000,
      acceptedAt: null,
      reply: null,
      dispatchCount: 2,
    });
    expect(next.timeline.at(-1)).toMatchObject({ kind: 'dispatch', note: '按属地', data: { unitId: 'street.110105001', from: 'bureau.housing' } });
  });

  it('dispatch back to the unit that returned the case is refused', () => {
    expect(() => transition(at('returned', { unitId: 'bureau.housing' }), Step.parse({ action: 'dispatch', unitId: 'bureau.housing' }), staff)).toThrow(
      /returned this case/,
    );
  });

  it('accept, return, reply, evaluate, close, reopen, merge', () => {
    expect(transition(at('dispatched'), Step.parse(SAMPLE.accept), unit).acceptedAt).toBe(unit.at);
    expect(transition(at('accepted', { acceptedAt: 5 }), Step.parse(SAMPLE.return), unit)).toMatchObject({ returnReason: '不属于本街道管辖', acceptedAt: null });
    expect(transition(at('accepted'), Step.parse(SAMPLE.reply), unit)).toMatchObject({
      repliedAt: unit.at,
      reply: { outcome: 'resolved', text: '已联系施工方停止夜间施工', contactedAt: T0 + 1500, at: unit.at },
    });
    expect(transition(at('replied'), Step.parse(SAMPLE.evaluate), staff).evaluation).toEqual({ resolved: true, satisfaction: 'satisfied', words: '很满意', at: staff.at });
    expect(transition(at('evaluated'), Step.parse(SAMPLE.close), staff).closedAt).toBe(staff.at);
    expect(transition(at('closed', { closedAt: 9 }), Step.parse(SAMPLE.reopen), staff)).toMatchObject({ closedAt: null, reopenCount: 1 });
    const merged = transition(at('registered'), Step.parse(SAMPLE.merge), staff);
    expect(merged).toMatchObject({ status: 'merged', mergedInto: '00000000-0000-4000-8000-000000000001', closedAt: staff.at });
  });

  it('a case is not merged into itself; the target records the duplicate', () => {
    const c = at('registered');
    expect(() => transition(c, Step.parse({ action: 'merge', intoCaseId: c.id, intoNumber: c.number }), staff)).toThrow(/into itself/);
    const target = at('dispatched');
    const after = absorb(target, c, staff);
    expect(after).toMatchObject({ status: 'dispatched', rev: target.rev + 1 });
    expect(after.timeline.at(-1)).toMatchObject({ kind: 'absorbed', data: { caseId: c.id, number: c.number } });
  });

  it('does not change the record it was given', () => {
    const c = at('registered');
    const copy = structuredClone(c);
    transition(c, Step.parse(SAMPLE.dispatch), staff);
    expect(c).toEqual(copy);
  });

  it('validates what a step carries', () => {
    expect(Step.safeParse({ action: 'return', reason: '' }).success).toBe(false);
    expect(Step.safeParse({ action: 'reply', outcome: 'done', text: '已处理完毕' }).success).toBe(false);
    expect(Step.safeParse({ action: 'evaluate', resolved: 'yes', satisfaction: 'satisfied' }).success).toBe(false);
    expect(Step.safeParse({ action: 'merge', intoCaseId: 'x', intoNumber: 'S0001-000001' }).success).toBe(false);
    expect(Step.safeParse({ action: 'fly' }).success).toBe(false);
  });
});
