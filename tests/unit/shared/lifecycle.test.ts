import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CaseStatus, type CaseRecord, type TimelineEvent } from '../../../src/shared/domain/case';
import {
  absorb,
  allowedFrom,
  checkStep,
  isOpen,
  LifecycleAction,
  LifecycleError,
  OPEN_STATUSES,
  Step,
  STEP_SCHEMAS,
  transition,
  type StepContext,
  type StepInput,
} from '../../../src/shared/domain/lifecycle';
import { caseRecord } from '../../helpers/fixtures';

// The rules of the case lifecycle, written out by hand from docs/lifecycle.md — NOT read from
// `TRANSITIONS`. A change to the table in lifecycle.ts that is not also made here fails this file.
//
//   registered → answered (answer, staff; direct answer at intake) → closed (close, staff)
//   registered → dispatched (dispatch, staff) → accepted (accept, unit) → replied (reply, unit)
//              → evaluated (evaluate, staff) → closed (close, staff)
//   replied → closed (close, staff): a type that needs no callback (praise, a suggestion); whether
//              it does is the policy's (the server and the workstation check it, not the table)
//   dispatched|accepted → returned (return, unit) → dispatched (dispatch, staff)
//   closed → reopened (reopen, staff); evaluated → reopened (reopen, staff); reopened → dispatched (dispatch, staff)
//   any open case → merged (merge, staff)

type Status = CaseStatus;
type Action = LifecycleAction;
type Actor = 'staff' | 'unit';

const STATUSES: readonly Status[] = ['registered', 'answered', 'dispatched', 'accepted', 'returned', 'replied', 'evaluated', 'closed', 'reopened', 'merged'];
const ACTIONS: readonly Action[] = ['answer', 'dispatch', 'accept', 'return', 'reply', 'evaluate', 'close', 'reopen', 'merge'];
const OPEN: readonly Status[] = ['registered', 'answered', 'dispatched', 'accepted', 'returned', 'replied', 'evaluated', 'reopened'];

/** Who may take each step. */
const ACTOR: Readonly<Record<Action, Actor>> = {
  answer: 'staff',
  dispatch: 'staff',
  accept: 'unit',
  return: 'unit',
  reply: 'unit',
  evaluate: 'staff',
  close: 'staff',
  reopen: 'staff',
  merge: 'staff',
};

interface Move {
  from: Status;
  action: Action;
  to: Status;
}

/** Every allowed move; any (status, action) pair not listed here is illegal. */
const MOVES: readonly Move[] = [
  { from: 'registered', action: 'answer', to: 'answered' },
  { from: 'answered', action: 'close', to: 'closed' },
  { from: 'registered', action: 'dispatch', to: 'dispatched' },
  { from: 'dispatched', action: 'accept', to: 'accepted' },
  { from: 'accepted', action: 'reply', to: 'replied' },
  { from: 'replied', action: 'evaluate', to: 'evaluated' },
  { from: 'evaluated', action: 'close', to: 'closed' },
  { from: 'replied', action: 'close', to: 'closed' },
  { from: 'dispatched', action: 'return', to: 'returned' },
  { from: 'accepted', action: 'return', to: 'returned' },
  { from: 'returned', action: 'dispatch', to: 'dispatched' },
  { from: 'closed', action: 'reopen', to: 'reopened' },
  { from: 'evaluated', action: 'reopen', to: 'reopened' },
  { from: 'reopened', action: 'dispatch', to: 'dispatched' },
  ...OPEN.map((from): Move => ({ from, action: 'merge', to: 'merged' })),
];

const moveOf = (from: Status, action: Action): Move | undefined => MOVES.find((m) => m.from === from && m.action === action);

const T0 = 1_760_000_000_000;
const INTO = '00000000-0000-4000-8000-000000000001';
const ctxOf = (kind: StepContext['actor']['kind'], at = T0 + 1000): StepContext => {
  if (kind === 'unit') return { at, actor: { kind, id: 'street.110105001', station: 'street.110105001' } };
  if (kind === 'system') return { at, actor: { kind, id: 'open311', station: null } };
  return { at, actor: { kind, id: 'op1', station: 'S0001' } };
};
const wrong = (actor: Actor): Actor => (actor === 'staff' ? 'unit' : 'staff');

/** A valid step of each action. */
const SAMPLE: Record<Action, StepInput> = {
  answer: { action: 'answer', answer: '社保卡补办请携带身份证到就近社保网点' },
  dispatch: { action: 'dispatch', unitId: 'street.110105001', note: '按属地' },
  accept: { action: 'accept' },
  return: { action: 'return', reason: '不属于本街道管辖' },
  reply: { action: 'reply', outcome: 'resolved', text: '已联系施工方停止夜间施工', contactedAt: T0 + 1500 },
  evaluate: { action: 'evaluate', resolved: true, satisfaction: 'satisfied', words: '很满意' },
  close: { action: 'close' },
  reopen: { action: 'reopen', reason: '市民反映问题再次出现' },
  merge: { action: 'merge', intoCaseId: INTO, intoNumber: 'S0001-000099' },
};
const step = (action: Action): Step => Step.parse(SAMPLE[action]);

/**
 * A case in `status` with every lifecycle field set to something distinctive, so that a step that
 * changes (or clears) a field it should not is seen by a whole-record comparison.
 */
function busy(status: Status, patch: Partial<CaseRecord> = {}): CaseRecord {
  const earlier: TimelineEvent[] = [
    { at: T0 - 900, kind: 'registered', actor: 'op9', actorKind: 'staff', station: 'S0009', note: null, data: { channel: 'phone' } },
    { at: T0 - 800, kind: 'dispatch', actor: 'op9', actorKind: 'staff', station: 'S0009', note: null, data: { unitId: 'bureau.housing' } },
  ];
  return caseRecord({
    status,
    rev: 7,
    updatedAt: T0 - 1,
    unitId: 'bureau.housing',
    dispatchedAt: T0 - 800,
    signBy: T0 - 700,
    replyBy: T0 - 600,
    acceptedAt: T0 - 500,
    repliedAt: T0 - 400,
    closedAt: T0 - 300,
    mergedInto: null,
    answer: '先前的答复',
    reply: { outcome: 'explained', text: '先前的回复', contactedAt: T0 - 450, at: T0 - 400 },
    evaluation: { resolved: false, satisfaction: 'unsatisfied', words: '不满意', at: T0 - 350 },
    returnReason: '先前的退回理由',
    dispatchCount: 2,
    reopenCount: 1,
    timeline: earlier,
    ...patch,
  });
}

/** What each step records, besides status, rev + 1 and updatedAt: the fields it sets, and its timeline event's note and data. */
function expectedEffects(before: CaseRecord, s: Step, ctx: StepContext): { fields: Partial<CaseRecord>; note: string | null; data: Record<string, unknown> } {
  const at = ctx.at;
  switch (s.action) {
    case 'answer':
      return { fields: { answer: s.answer }, note: s.answer, data: {} };
    case 'dispatch': {
      const signBy = ctx.deadlines?.signBy ?? null;
      const replyBy = ctx.deadlines?.replyBy ?? null;
      return {
        fields: { unitId: s.unitId, dispatchedAt: at, signBy, replyBy, acceptedAt: null, repliedAt: null, reply: null, evaluation: null, dispatchCount: before.dispatchCount + 1 },
        note: s.note === '' ? null : s.note,
        data: { unitId: s.unitId, from: before.unitId, signBy, replyBy },
      };
    }
    case 'accept':
      return { fields: { acceptedAt: at }, note: null, data: { unitId: before.unitId } };
    case 'return':
      return { fields: { returnReason: s.reason, acceptedAt: null }, note: s.reason, data: { unitId: before.unitId } };
    case 'reply':
      return {
        fields: { repliedAt: at, reply: { outcome: s.outcome, text: s.text, contactedAt: s.contactedAt, at } },
        note: s.text,
        data: { unitId: before.unitId, outcome: s.outcome, contactedAt: s.contactedAt },
      };
    case 'evaluate':
      return {
        fields: { evaluation: { resolved: s.resolved, satisfaction: s.satisfaction, words: s.words, at } },
        note: s.words === '' ? null : s.words,
        data: { resolved: s.resolved, satisfaction: s.satisfaction },
      };
    case 'close':
      return { fields: { closedAt: at }, note: null, data: {} };
    case 'reopen':
      return { fields: { closedAt: null, reopenCount: before.reopenCount + 1 }, note: s.reason, data: {} };
    case 'merge':
      return { fields: { mergedInto: s.intoCaseId, closedAt: at }, note: null, data: { into: s.intoNumber } };
  }
}

/** The whole record a legal step must produce. */
function expectedAfter(before: CaseRecord, s: Step, ctx: StepContext, to: Status): CaseRecord {
  const { fields, note, data } = expectedEffects(before, s, ctx);
  const ev: TimelineEvent = { at: ctx.at, kind: s.action, actor: ctx.actor.id, actorKind: ctx.actor.kind, station: ctx.actor.station, note, data };
  return { ...before, ...fields, status: to, rev: before.rev + 1, updatedAt: ctx.at, timeline: [...before.timeline, ev] };
}

function refusal(f: () => unknown): LifecycleError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(LifecycleError);
    return e as LifecycleError;
  }
  throw new Error('expected the step to be refused');
}

describe('the hand-written rules match the product’s vocabulary', () => {
  it('names every status and action the schemas know, and no others', () => {
    expect([...CaseStatus.options].sort()).toEqual([...STATUSES].sort());
    expect([...LifecycleAction.options].sort()).toEqual([...ACTIONS].sort());
    expect(Object.keys(STEP_SCHEMAS).sort()).toEqual([...ACTIONS].sort());
  });
});

describe('transition on every (status × action) pair', () => {
  const pairs = STATUSES.flatMap((status) => ACTIONS.map((action) => [status, action] as const));

  it.each(pairs)('%s + %s, by the right actor', (status, action) => {
    const before = busy(status);
    const snapshot = structuredClone(before);
    const ctx = ctxOf(ACTOR[action]);
    const move = moveOf(status, action);
    if (move) {
      const after = transition(before, step(action), ctx);
      expect(after).toEqual(expectedAfter(before, step(action), ctx, move.to));
      expect(checkStep(status, step(action), ACTOR[action])).toBeNull();
    } else {
      const err = refusal(() => transition(before, step(action), ctx));
      expect(err.code).toBe('illegal_transition');
      expect(err.name).toBe('LifecycleError');
      const allowed = MOVES.filter((m) => m.action === action).map((m) => m.from);
      expect(err.message).toBe(`cannot ${action} a case that is ${status} (allowed from: ${allowed.join(', ')})`);
      expect(checkStep(status, step(action), ACTOR[action])?.code).toBe('illegal_transition');
    }
    // The record handed in is never changed, legal step or not.
    expect(before).toEqual(snapshot);
  });

  it.each(pairs)('%s + %s, by the wrong kind of actor, is refused as wrong_actor', (status, action) => {
    const by = wrong(ACTOR[action]);
    const err = refusal(() => transition(busy(status), step(action), ctxOf(by)));
    expect(err.code).toBe('wrong_actor');
    expect(err.message).toBe(`only ${ACTOR[action] === 'unit' ? 'the responding unit' : 'hotline staff'} may ${action} a case`);
    expect(checkStep(status, step(action), by)?.code).toBe('wrong_actor');
  });

  it.each(pairs)('%s + %s, by the system (Open311 intake): any actor, same legality', (status, action) => {
    const ctx = ctxOf('system');
    const move = moveOf(status, action);
    const before = busy(status);
    if (move) {
      expect(transition(before, step(action), ctx)).toEqual(expectedAfter(before, step(action), ctx, move.to));
      expect(checkStep(status, step(action), 'system')).toBeNull();
    } else {
      expect(refusal(() => transition(before, step(action), ctx)).code).toBe('illegal_transition');
    }
  });

  it('allowedFrom lists exactly the statuses of the rules, in the order docs state them', () => {
    for (const action of ACTIONS) {
      expect([...allowedFrom(action)].sort()).toEqual(MOVES.filter((m) => m.action === action).map((m) => m.from).sort());
    }
    expect(allowedFrom('dispatch')).toEqual(['registered', 'returned', 'reopened']);
  });

  it('the paths of docs/lifecycle.md run end to end', () => {
    const path = (start: Status, actions: (Action | Step)[]): Status[] => {
      let record = busy(start);
      return actions.map((a) => {
        const s = typeof a === 'string' ? step(a) : a;
        record = transition(record, s, ctxOf(ACTOR[s.action]));
        return record.status;
      });
    };
    const toWater = Step.parse({ action: 'dispatch', unitId: 'bureau.water' });
    expect(path('registered', ['answer', 'close'])).toEqual(['answered', 'closed']);
    expect(path('registered', ['dispatch', 'accept', 'reply', 'evaluate', 'close'])).toEqual(['dispatched', 'accepted', 'replied', 'evaluated', 'closed']);
    expect(path('registered', ['dispatch', 'return', toWater, 'accept', 'return'])).toEqual(['dispatched', 'returned', 'dispatched', 'accepted', 'returned']);
    expect(path('closed', ['reopen', 'dispatch', 'accept', 'reply', 'evaluate', 'reopen'])).toEqual(['reopened', 'dispatched', 'accepted', 'replied', 'evaluated', 'reopened']);
    expect(path('replied', ['merge'])).toEqual(['merged']);
  });
});

describe('open and final statuses', () => {
  it('open means every status but closed and merged', () => {
    for (const s of STATUSES) expect(isOpen(s), s).toBe(OPEN.includes(s));
    expect([...OPEN_STATUSES].sort()).toEqual([...OPEN].sort());
  });

  it('merged is final: no step by anyone', () => {
    for (const action of ACTIONS) {
      for (const kind of ['staff', 'unit', 'system'] as const) expect(() => transition(busy('merged'), step(action), ctxOf(kind))).toThrow(LifecycleError);
    }
  });

  it('closed is final but for reopen', () => {
    for (const action of ACTIONS) {
      const ok = (() => {
        try {
          transition(busy('closed'), step(action), ctxOf('system'));
          return true;
        } catch {
          return false;
        }
      })();
      expect(ok, action).toBe(action === 'reopen');
    }
  });
});

describe('what the steps record, case by case', () => {
  const staff = ctxOf('staff');
  const unit = ctxOf('unit', T0 + 2000);

  it('dispatch carries the deadlines the server computed', () => {
    const ctx: StepContext = { ...staff, deadlines: { signBy: staff.at + 60_000, replyBy: staff.at + 120_000 } };
    const after = transition(busy('registered', { unitId: null, dispatchCount: 0 }), step('dispatch'), ctx);
    expect(after).toMatchObject({ status: 'dispatched', unitId: 'street.110105001', dispatchedAt: staff.at, signBy: staff.at + 60_000, replyBy: staff.at + 120_000, dispatchCount: 1 });
    expect(after.timeline.at(-1)).toEqual({
      at: staff.at,
      kind: 'dispatch',
      actor: 'op1',
      actorKind: 'staff',
      station: 'S0001',
      note: '按属地',
      data: { unitId: 'street.110105001', from: null, signBy: staff.at + 60_000, replyBy: staff.at + 120_000 },
    });
  });

  it('dispatch without deadlines (the workstation) or with null leaves them null', () => {
    for (const deadlines of [undefined, null]) {
      const after = transition(busy('reopened'), step('dispatch'), { ...staff, deadlines });
      expect(after).toMatchObject({ signBy: null, replyBy: null });
      expect(after.timeline.at(-1)?.data).toEqual({ unitId: 'street.110105001', from: 'bureau.housing', signBy: null, replyBy: null });
    }
  });

  it('dispatch without a note records a null note', () => {
    const after = transition(busy('registered'), Step.parse({ action: 'dispatch', unitId: 'bureau.water' }), staff);
    expect(after.timeline.at(-1)?.note).toBeNull();
  });

  it('a returned case may not go back to the unit that returned it; other statuses may re-dispatch to the same unit', () => {
    const back = Step.parse({ action: 'dispatch', unitId: 'bureau.housing' });
    const err = refusal(() => transition(busy('returned'), back, staff));
    expect(err.code).toBe('invalid_step');
    expect(err.message).toBe('unit bureau.housing returned this case; dispatch it to another unit');
    expect(transition(busy('reopened'), back, staff)).toMatchObject({ status: 'dispatched', unitId: 'bureau.housing', dispatchCount: 3 });
    expect(transition(busy('registered'), back, staff)).toMatchObject({ status: 'dispatched', unitId: 'bureau.housing' });
    expect(transition(busy('returned'), Step.parse({ action: 'dispatch', unitId: 'bureau.water' }), staff)).toMatchObject({ status: 'dispatched', unitId: 'bureau.water' });
  });

  it('reply without a contact time, evaluate without words', () => {
    const replied = transition(busy('accepted'), Step.parse({ action: 'reply', outcome: 'unresolvable', text: '无法处理' }), unit);
    expect(replied.reply).toEqual({ outcome: 'unresolvable', text: '无法处理', contactedAt: null, at: unit.at });
    expect(replied.timeline.at(-1)?.data).toEqual({ unitId: 'bureau.housing', outcome: 'unresolvable', contactedAt: null });
    const evaluated = transition(busy('replied'), Step.parse({ action: 'evaluate', resolved: false, satisfaction: 'basically' }), staff);
    expect(evaluated.evaluation).toEqual({ resolved: false, satisfaction: 'basically', words: '', at: staff.at });
    expect(evaluated.timeline.at(-1)?.note).toBeNull();
  });

  it('a case is not merged into itself', () => {
    const c = busy('registered');
    const err = refusal(() => transition(c, Step.parse({ action: 'merge', intoCaseId: c.id, intoNumber: c.number }), staff));
    expect(err.code).toBe('invalid_step');
    expect(err.message).toBe('a case cannot be merged into itself');
  });

  it('absorb: the target keeps its status, rev + 1, and records the duplicate', () => {
    const target = busy('dispatched');
    const duplicate = busy('registered');
    const snapshot = structuredClone(target);
    const after = absorb(target, duplicate, staff);
    expect(after).toEqual({
      ...target,
      rev: 8,
      updatedAt: staff.at,
      timeline: [...target.timeline, { at: staff.at, kind: 'absorbed', actor: 'op1', actorKind: 'staff', station: 'S0001', note: null, data: { caseId: duplicate.id, number: duplicate.number } }],
    });
    expect(target).toEqual(snapshot);
  });
});

describe('properties (fast-check)', () => {
  const UNITS = ['bureau.housing', 'bureau.water', 'street.110105001'] as const;
  const arbStep = fc.oneof(
    fc.constantFrom(...ACTIONS.filter((a) => a !== 'dispatch')).map((a) => step(a)),
    fc.constantFrom(...UNITS).map((unitId) => Step.parse({ action: 'dispatch', unitId })),
  );
  const arbKind = fc.constantFrom<'staff' | 'unit' | 'system'>('staff', 'unit', 'system');

  it('a random walk follows the hand-written rules; every step adds 1 to rev and one event to the timeline', () => {
    fc.assert(
      fc.property(fc.constantFrom(...STATUSES), fc.array(fc.tuple(arbStep, arbKind), { maxLength: 30 }), (start, walk) => {
        let record = busy(start);
        walk.forEach(([s, kind], i) => {
          const ctx = ctxOf(kind, T0 + 10_000 + i);
          const move = moveOf(record.status, s.action);
          const byWrongActor = kind !== 'system' && kind !== ACTOR[s.action];
          const backToReturner = s.action === 'dispatch' && record.status === 'returned' && s.unitId === record.unitId;
          if (byWrongActor || !move || backToReturner) {
            const err = refusal(() => transition(record, s, ctx));
            expect(err.code).toBe(byWrongActor ? 'wrong_actor' : move ? 'invalid_step' : 'illegal_transition');
            return;
          }
          const next = transition(record, s, ctx);
          expect(next.status).toBe(move.to);
          expect(next.rev).toBe(record.rev + 1);
          expect(next.updatedAt).toBe(ctx.at);
          expect(next.timeline.slice(0, -1)).toEqual(record.timeline);
          expect(next.timeline).toHaveLength(record.timeline.length + 1);
          expect(next.timeline.at(-1)).toMatchObject({ at: ctx.at, kind: s.action, actorKind: kind });
          expect(next.dispatchCount).toBe(record.dispatchCount + (s.action === 'dispatch' ? 1 : 0));
          expect(next.reopenCount).toBe(record.reopenCount + (s.action === 'reopen' ? 1 : 0));
          record = next;
        });
      }),
      { numRuns: 300 },
    );
  });

  it('from closed or merged only the stated reopen (of a closed case) succeeds', () => {
    fc.assert(
      fc.property(fc.constantFrom<Status>('closed', 'merged'), arbStep, arbKind, (status, s, kind) => {
        let ok = true;
        try {
          transition(busy(status), s, ctxOf(kind));
        } catch (e) {
          expect(e).toBeInstanceOf(LifecycleError);
          ok = false;
        }
        expect(ok).toBe(status === 'closed' && s.action === 'reopen' && kind !== 'unit');
      }),
    );
  });
});

describe('what a step carries', () => {
  const bad = (input: unknown): string[] => {
    const r = Step.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}:${i.message}`);
  };

  it('trims texts and bounds them: 2 characters at least', () => {
    expect(Step.parse({ action: 'answer', answer: '  可以  ' })).toEqual({ action: 'answer', answer: '可以' });
    expect(bad({ action: 'answer', answer: ' 好 ' })).toEqual(['answer:too_short']);
    expect(bad({ action: 'return', reason: '' })).toEqual(['reason:too_short']);
    expect(bad({ action: 'reopen', reason: 'x' })).toEqual(['reason:too_short']);
    expect(bad({ action: 'reply', outcome: 'resolved', text: 'x' })).toEqual(['text:too_short']);
  });

  it('bounds texts at their maximum length', () => {
    expect(bad({ action: 'answer', answer: 'a'.repeat(4000) })).toEqual([]);
    expect(bad({ action: 'answer', answer: 'a'.repeat(4001) })).toEqual(['answer:too_long']);
    expect(bad({ action: 'reply', outcome: 'resolved', text: 'a'.repeat(4000) })).toEqual([]);
    expect(bad({ action: 'reply', outcome: 'resolved', text: 'a'.repeat(4001) })).toEqual(['text:too_long']);
    expect(bad({ action: 'return', reason: 'a'.repeat(2000) })).toEqual([]);
    expect(bad({ action: 'return', reason: 'a'.repeat(2001) })).toEqual(['reason:too_long']);
    expect(bad({ action: 'reopen', reason: 'a'.repeat(2001) })).toEqual(['reason:too_long']);
    expect(bad({ action: 'dispatch', unitId: 'u.x', note: 'a'.repeat(2000) })).toEqual([]);
    expect(bad({ action: 'dispatch', unitId: 'u.x', note: 'a'.repeat(2001) })).toHaveLength(1);
    expect(bad({ action: 'evaluate', resolved: true, satisfaction: 'satisfied', words: 'a'.repeat(2001) })).toHaveLength(1);
  });

  it('dispatch: a unit id of 1 to 80 characters; the note is trimmed and defaults to empty', () => {
    expect(Step.parse({ action: 'dispatch', unitId: 'u' })).toEqual({ action: 'dispatch', unitId: 'u', note: '' });
    expect(Step.parse({ action: 'dispatch', unitId: 'u', note: ' 按属地 ' })).toMatchObject({ note: '按属地' });
    expect(bad({ action: 'dispatch', unitId: '' })).toHaveLength(1);
    expect(bad({ action: 'dispatch', unitId: 'u'.repeat(80) })).toEqual([]);
    expect(bad({ action: 'dispatch', unitId: 'u'.repeat(81) })).toHaveLength(1);
  });

  it('reply: an outcome of the list, contactedAt a positive integer or null (the default)', () => {
    expect(Step.parse({ action: 'reply', outcome: 'explained', text: '已解释' })).toEqual({ action: 'reply', outcome: 'explained', text: '已解释', contactedAt: null });
    expect(bad({ action: 'reply', outcome: 'done', text: '已处理完毕' })).toHaveLength(1);
    expect(bad({ action: 'reply', outcome: 'resolved', text: '已处理', contactedAt: 0 })).toHaveLength(1);
    expect(bad({ action: 'reply', outcome: 'resolved', text: '已处理', contactedAt: 1.5 })).toHaveLength(1);
    expect(bad({ action: 'reply', outcome: 'resolved', text: '已处理', contactedAt: 1 })).toEqual([]);
  });

  it('evaluate: a boolean and a satisfaction of the list; words trimmed, default empty', () => {
    expect(Step.parse({ action: 'evaluate', resolved: false, satisfaction: 'unsatisfied', words: ' 没修好 ' })).toEqual({ action: 'evaluate', resolved: false, satisfaction: 'unsatisfied', words: '没修好' });
    expect(bad({ action: 'evaluate', resolved: 'yes', satisfaction: 'satisfied' })).toHaveLength(1);
    expect(bad({ action: 'evaluate', resolved: true, satisfaction: 'happy' })).toHaveLength(1);
  });

  it('merge: a uuid and a number of 1 to 40 characters', () => {
    expect(bad({ action: 'merge', intoCaseId: 'x', intoNumber: 'S0001-000001' })).toHaveLength(1);
    expect(bad({ action: 'merge', intoCaseId: INTO, intoNumber: '' })).toHaveLength(1);
    expect(bad({ action: 'merge', intoCaseId: INTO, intoNumber: 'n'.repeat(40) })).toEqual([]);
    expect(bad({ action: 'merge', intoCaseId: INTO, intoNumber: 'n'.repeat(41) })).toHaveLength(1);
  });

  it('refuses an unknown action; each action has its own schema', () => {
    expect(bad({ action: 'fly' })).not.toEqual([]);
    for (const action of ACTIONS) expect(STEP_SCHEMAS[action].parse(SAMPLE[action])).toEqual(step(action));
  });
});
