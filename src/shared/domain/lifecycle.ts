import { z } from 'zod';
import { ReplyOutcome, Satisfaction, type CaseRecord, type CaseStatus, type TimelineEvent } from './case';

// The life of a case (states and steps: docs/lifecycle.md). The same pure `transition` runs on
// the server (authoritative, inside the write transaction) and on the workstation (optimistic
// effect), so the two can only disagree on facts the server alone knows (deadlines, the merge
// target's state).

export const LifecycleAction = z.enum(['answer', 'dispatch', 'accept', 'return', 'reply', 'evaluate', 'close', 'reopen', 'merge']);
export type LifecycleAction = z.infer<typeof LifecycleAction>;

/** Who may take a step: hotline staff (through sync) or the responding unit (through the unit API). */
export type StepActor = 'staff' | 'unit';

interface Rule {
  from: readonly CaseStatus[];
  to: CaseStatus;
  by: StepActor;
}

/** The transition table: the only place that says which step is legal from which status. */
export const TRANSITIONS: Readonly<Record<LifecycleAction, Rule>> = {
  answer: { from: ['registered'], to: 'answered', by: 'staff' },
  dispatch: { from: ['registered', 'returned', 'reopened'], to: 'dispatched', by: 'staff' },
  accept: { from: ['dispatched'], to: 'accepted', by: 'unit' },
  // A unit may hand a case back before or after signing for it, never after replying.
  return: { from: ['dispatched', 'accepted'], to: 'returned', by: 'unit' },
  reply: { from: ['accepted'], to: 'replied', by: 'unit' },
  evaluate: { from: ['replied'], to: 'evaluated', by: 'staff' },
  // A replied case closes without a callback only when its contact type needs none (praise, a
  // suggestion): the SLA policy decides, checked by the server and the workstation.
  close: { from: ['answered', 'evaluated', 'replied'], to: 'closed', by: 'staff' },
  // Closed cases reopen on a new complaint; an unsatisfied evaluation may reopen before closing.
  reopen: { from: ['closed', 'evaluated'], to: 'reopened', by: 'staff' },
  merge: { from: ['registered', 'answered', 'dispatched', 'accepted', 'returned', 'replied', 'evaluated', 'reopened'], to: 'merged', by: 'staff' },
};

/** Statuses in which a case still needs work; `closed` and `merged` are final until reopened. */
export const OPEN_STATUSES: readonly CaseStatus[] = ['registered', 'answered', 'dispatched', 'accepted', 'returned', 'replied', 'evaluated', 'reopened'];

export function isOpen(status: CaseStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** The statuses from which `action` is legal. */
export function allowedFrom(action: LifecycleAction): readonly CaseStatus[] {
  return TRANSITIONS[action].from;
}

const Text = (max: number) => z.string().trim().min(2, 'too_short').max(max, 'too_long');

/**
 * The knowledge-base article a direct answer was given from: recorded on the case's timeline (the
 * `answer` event's data) with the title and version as they were read on the call.
 */
export const AnsweredArticle = z.object({ id: z.string().min(3).max(90), version: z.number().int().positive(), title: z.string().trim().min(1).max(120) }).strict();
export type AnsweredArticle = z.infer<typeof AnsweredArticle>;

const AnswerStep = z.object({ action: z.literal('answer'), answer: Text(4000), article: AnsweredArticle.optional() });
const DispatchStep = z.object({ action: z.literal('dispatch'), unitId: z.string().min(1).max(80), note: z.string().trim().max(2000).default('') });
const AcceptStep = z.object({ action: z.literal('accept') });
const ReturnStep = z.object({ action: z.literal('return'), reason: Text(2000) });
const ReplyStep = z.object({
  action: z.literal('reply'),
  outcome: ReplyOutcome,
  text: Text(4000),
  /** When the unit spoke to the citizen (epoch ms); counts towards the response rate. */
  contactedAt: z.number().int().positive().nullable().default(null),
});
const EvaluateStep = z.object({ action: z.literal('evaluate'), resolved: z.boolean(), satisfaction: Satisfaction, words: z.string().trim().max(2000).default('') });
const CloseStep = z.object({ action: z.literal('close') });
const ReopenStep = z.object({ action: z.literal('reopen'), reason: Text(2000) });
const MergeStep = z.object({ action: z.literal('merge'), intoCaseId: z.uuid(), intoNumber: z.string().min(1).max(40) });

/** Each step with what it carries; shared by the sync mutations and the unit API. */
export const STEP_SCHEMAS = {
  answer: AnswerStep,
  dispatch: DispatchStep,
  accept: AcceptStep,
  return: ReturnStep,
  reply: ReplyStep,
  evaluate: EvaluateStep,
  close: CloseStep,
  reopen: ReopenStep,
  merge: MergeStep,
} as const;

export const Step = z.discriminatedUnion('action', [AnswerStep, DispatchStep, AcceptStep, ReturnStep, ReplyStep, EvaluateStep, CloseStep, ReopenStep, MergeStep]);
export type Step = z.infer<typeof Step>;
export type StepInput = z.input<typeof Step>;

/** Why a step is refused; `code` is a machine code the workstation translates. */
export class LifecycleError extends Error {
  constructor(
    readonly code: 'illegal_transition' | 'wrong_actor' | 'invalid_step',
    message: string,
  ) {
    super(message);
    this.name = 'LifecycleError';
  }
}

export interface StepContext {
  at: number;
  actor: { kind: StepActor | 'system'; id: string; station: string | null };
  /** Deadlines of a dispatch, computed by the server from the SLA policy; the workstation passes null. */
  deadlines?: { signBy: number; replyBy: number } | null;
}

function event(ctx: StepContext, kind: string, note: string | null, data: Record<string, unknown> = {}): TimelineEvent {
  return { at: ctx.at, kind, actor: ctx.actor.id, actorKind: ctx.actor.kind, station: ctx.actor.station, note, data };
}

/** Whether `step` may be taken on a case in `status` by `actor`; the reason when not. */
export function checkStep(status: CaseStatus, step: Step, actor: StepActor | 'system'): LifecycleError | null {
  const rule = TRANSITIONS[step.action];
  if (actor !== 'system' && rule.by !== actor) {
    return new LifecycleError('wrong_actor', `only ${rule.by === 'unit' ? 'the responding unit' : 'hotline staff'} may ${step.action} a case`);
  }
  if (!rule.from.includes(status)) {
    return new LifecycleError('illegal_transition', `cannot ${step.action} a case that is ${status} (allowed from: ${rule.from.join(', ')})`);
  }
  return null;
}

/**
 * The case after `step`: status, the facts the step records, rev + 1 and an event on the timeline.
 * Throws LifecycleError when the step is not legal now. Checks that need other data (does the
 * unit exist, is the merge target open) belong to the caller.
 */
export function transition(record: CaseRecord, step: Step, ctx: StepContext): CaseRecord {
  const refused = checkStep(record.status, step, ctx.actor.kind);
  if (refused) throw refused;
  const to = TRANSITIONS[step.action].to;
  const base: CaseRecord = { ...record, status: to, rev: record.rev + 1, updatedAt: ctx.at };
  const withEvent = (next: CaseRecord, note: string | null, data?: Record<string, unknown>): CaseRecord => ({
    ...next,
    timeline: [...record.timeline, event(ctx, step.action, note, data)],
  });
  switch (step.action) {
    case 'answer':
      return withEvent({ ...base, answer: step.answer }, step.answer, step.article ? { article: step.article } : {});
    case 'dispatch': {
      if (step.unitId === record.unitId && record.status === 'returned') {
        throw new LifecycleError('invalid_step', `unit ${step.unitId} returned this case; dispatch it to another unit`);
      }
      const deadlines = ctx.deadlines ?? null;
      return withEvent(
        {
          ...base,
          unitId: step.unitId,
          dispatchedAt: ctx.at,
          signBy: deadlines?.signBy ?? null,
          replyBy: deadlines?.replyBy ?? null,
          acceptedAt: null,
          repliedAt: null,
          reply: null,
          evaluation: null,
          dispatchCount: record.dispatchCount + 1,
        },
        step.note || null,
        // The deadlines travel with the event: the rates judge every dispatch, not only the latest.
        { unitId: step.unitId, from: record.unitId, signBy: deadlines?.signBy ?? null, replyBy: deadlines?.replyBy ?? null },
      );
    }
    case 'accept':
      return withEvent({ ...base, acceptedAt: ctx.at }, null, { unitId: record.unitId });
    case 'return':
      return withEvent({ ...base, returnReason: step.reason, acceptedAt: null }, step.reason, { unitId: record.unitId });
    case 'reply':
      return withEvent(
        { ...base, repliedAt: ctx.at, reply: { outcome: step.outcome, text: step.text, contactedAt: step.contactedAt, at: ctx.at } },
        step.text,
        { unitId: record.unitId, outcome: step.outcome, contactedAt: step.contactedAt },
      );
    case 'evaluate':
      return withEvent(
        { ...base, evaluation: { resolved: step.resolved, satisfaction: step.satisfaction, words: step.words, at: ctx.at } },
        step.words || null,
        { resolved: step.resolved, satisfaction: step.satisfaction },
      );
    case 'close':
      return withEvent({ ...base, closedAt: ctx.at }, null);
    case 'reopen':
      return withEvent({ ...base, closedAt: null, reopenCount: record.reopenCount + 1 }, step.reason);
    case 'merge':
      if (step.intoCaseId === record.id) throw new LifecycleError('invalid_step', 'a case cannot be merged into itself');
      return withEvent({ ...base, mergedInto: step.intoCaseId, closedAt: ctx.at }, null, { into: step.intoNumber });
  }
}

/** The event a merge leaves on the case that absorbed the duplicate (its status does not change). */
export function absorb(target: CaseRecord, duplicate: Pick<CaseRecord, 'id' | 'number'>, ctx: StepContext): CaseRecord {
  return {
    ...target,
    rev: target.rev + 1,
    updatedAt: ctx.at,
    timeline: [...target.timeline, event(ctx, 'absorbed', null, { caseId: duplicate.id, number: duplicate.number })],
  };
}
