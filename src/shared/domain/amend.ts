import { z } from 'zod';
import type { CaseRecord, TimelineEvent } from './case';
import { CallerLanguage, ContactType, normalizePhone, TimeWindow, Urgency } from './contact';
import { OPEN_STATUSES } from './lifecycle';

// Changes to a case's intake record after registration (type, urgency, language, callback …),
// a repeat call about it, and a look at a confidential caller's identity. Field edits are
// last-writer-wins; each leaves an event on the timeline saying what changed, from what, by whom.

const Phone = z
  .string()
  .overwrite(normalizePhone)
  .regex(/^\+?[0-9][0-9 -]{3,22}[0-9]$/, 'phone_format');

/** The intake fields that may change after registration; at least one. */
export const CaseChanges = z
  .object({
    contactType: ContactType,
    urgency: Urgency,
    language: CallerLanguage,
    interpreter: z.boolean(),
    confidential: z.boolean(),
    callbackPhone: Phone.nullable(),
    callbackWindow: TimeWindow.nullable(),
  })
  .partial()
  .strict()
  .refine((c) => Object.keys(c).length > 0, { error: 'no_changes' });
export type CaseChanges = z.infer<typeof CaseChanges>;

/** What the deadlines of a case are at an urgency, from the SLA policy the caller holds (null: none known here). */
export interface Timing {
  dispatchBy(urgency: Urgency, registeredAt: number): number | null;
  deadlines(urgency: Urgency, dispatchedAt: number): { signBy: number; replyBy: number } | null;
  /** The urgency after `repeatCount` repeat calls. */
  escalate(urgency: Urgency, repeatCount: number): Urgency;
}

export interface AmendContext {
  at: number;
  actor: { id: string; station: string | null };
}

function event(ctx: AmendContext, kind: string, note: string | null, data: Record<string, unknown>): TimelineEvent {
  return { at: ctx.at, kind, actor: ctx.actor.id, actorKind: 'staff', station: ctx.actor.station, note, data };
}

/** The deadlines a case has at `urgency`: when it must be dispatched, and those of its current dispatch. */
function retimed(record: CaseRecord, urgency: Urgency, timing: Timing): Pick<CaseRecord, 'dispatchBy' | 'signBy' | 'replyBy'> {
  const dispatchBy = timing.dispatchBy(urgency, record.createdAt) ?? record.dispatchBy;
  const withUnit = (record.status === 'dispatched' || record.status === 'accepted') && record.dispatchedAt !== null;
  const deadlines = withUnit && record.dispatchedAt !== null ? timing.deadlines(urgency, record.dispatchedAt) : null;
  return { dispatchBy, signBy: deadlines?.signBy ?? record.signBy, replyBy: deadlines?.replyBy ?? record.replyBy };
}

/**
 * The case with the changed fields, rev + 1 and an `amended` event naming each change (from → to).
 * Fields given with the value they already have are no change; with no change at all the record is
 * returned as it was. A change of urgency moves the deadlines that still run.
 */
export function amended(record: CaseRecord, changes: CaseChanges, ctx: AmendContext, timing: Timing): CaseRecord {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  const next: CaseRecord = { ...record };
  for (const [key, to] of Object.entries(changes) as [keyof CaseChanges, unknown][]) {
    const from = record[key];
    if (JSON.stringify(from) === JSON.stringify(to)) continue;
    diff[key] = { from, to };
    Object.assign(next, { [key]: to });
  }
  if (Object.keys(diff).length === 0) return record;
  const timed = 'urgency' in diff ? retimed(record, next.urgency, timing) : {};
  return { ...next, ...timed, rev: record.rev + 1, updatedAt: ctx.at, timeline: [...record.timeline, event(ctx, 'amended', null, { changes: diff })] };
}

export const RepeatCallNote = z.string().trim().max(2000, 'too_long').default('');

/**
 * The same caller called again about this open case: one more repeat call on its timeline (not a
 * second case), and the urgency raised when the policy says the caller has called often enough.
 */
export function repeatCalled(record: CaseRecord, note: string, ctx: AmendContext, timing: Timing): CaseRecord {
  const repeatCount = record.repeatCount + 1;
  const urgency = OPEN_STATUSES.includes(record.status) ? timing.escalate(record.urgency, repeatCount) : record.urgency;
  const escalated = urgency !== record.urgency;
  const data: Record<string, unknown> = { repeatCount, ...(escalated ? { urgency: { from: record.urgency, to: urgency } } : {}) };
  return {
    ...record,
    ...(escalated ? retimed(record, urgency, timing) : {}),
    urgency,
    repeatCount,
    rev: record.rev + 1,
    updatedAt: ctx.at,
    timeline: [...record.timeline, event(ctx, 'repeat_call', note || null, data)],
  };
}

export const RevealReason = z.string().trim().min(2, 'too_short').max(500, 'too_long');

/** A staff member looked at a confidential caller's identity: the reason is on the timeline for good. */
export function callerRevealed(record: CaseRecord, reason: string, ctx: AmendContext): CaseRecord {
  return { ...record, rev: record.rev + 1, updatedAt: ctx.at, timeline: [...record.timeline, event(ctx, 'caller_revealed', reason, {})] };
}

/** Whether this user has looked at the case's confidential caller (a `caller_revealed` event of theirs). */
export function revealedTo(record: Pick<CaseRecord, 'timeline'>, userId: string): boolean {
  return record.timeline.some((e) => e.kind === 'caller_revealed' && e.actor === userId);
}

/** What happened when the hotline called the citizen back and could not evaluate. */
export const CallbackOutcome = z.enum(['unreachable', 'busy', 'refused', 'wrong_number']);
export type CallbackOutcome = z.infer<typeof CallbackOutcome>;

export const CallbackAttempt = z.object({
  outcome: CallbackOutcome,
  /** When to try again (epoch ms); null: no further attempt (refused, wrong number, attempts used up). */
  retryAt: z.number().int().positive().nullable(),
  note: z.string().trim().max(2000, 'too_long').default(''),
});
export type CallbackAttempt = z.infer<typeof CallbackAttempt>;

/** A callback that reached nobody (or was refused): counted, on the timeline, and the next try scheduled. */
export function callbackAttempted(record: CaseRecord, attempt: CallbackAttempt, ctx: AmendContext): CaseRecord {
  const callbackAttempts = record.callbackAttempts + 1;
  return {
    ...record,
    callbackAttempts,
    nextCallbackAt: attempt.retryAt,
    rev: record.rev + 1,
    updatedAt: ctx.at,
    timeline: [
      ...record.timeline,
      event(ctx, 'callback_attempt', attempt.note || null, { outcome: attempt.outcome, attempt: callbackAttempts, retryAt: attempt.retryAt }),
    ],
  };
}

/**
 * Whether a confidential caller's identity is withheld from this user: everyone but whoever
 * registered the case, until they reveal it with a reason.
 */
export function callerWithheld(record: Pick<CaseRecord, 'confidential' | 'createdBy' | 'timeline'>, userId: string): boolean {
  return record.confidential && record.createdBy !== userId && !revealedTo(record, userId);
}

/** The record with the caller's name and numbers blanked (what a user without a reveal sees). */
export function withoutCaller<T extends Pick<CaseRecord, 'callerName' | 'callerPhone' | 'callbackPhone'>>(record: T): T {
  return { ...record, callerName: '', callerPhone: '', callbackPhone: null };
}
