import type { CaseRecord } from './case';
import { callbackDueAt, URGENCY_ORDER, type Urgency } from './contact';
import { deadlineState, dispatchDeadline, type SlaPolicy } from '../reference/sla';

// The deadline a case's state puts on the hotline or the unit, and the order of the operator's
// queues (most urgent first, then the soonest deadline). One function for the workstation core's
// `cases.list` and the renderer's lists kept in place, so the two always agree.

/**
 * What is due next, by whom: `dispatch` (registered: send it out), `redispatch` (returned by the
 * unit or reopened: send it out again), `sign` and `reply` (the unit's), `callback` (replied: call
 * the citizen, inside their window, after a failed attempt's retry), `decide` (evaluated: close or
 * send back), `close` (answered), `done` (closed or merged: when it ended).
 */
export type DueKind = 'dispatch' | 'redispatch' | 'sign' | 'reply' | 'callback' | 'decide' | 'close' | 'done';

export interface Due {
  kind: DueKind;
  /** The moment (epoch ms); null when no policy on this side says (a redispatch without the SLA document). */
  at: number | null;
  /** When the clock of this step started (for "at risk" and "waiting since"). */
  start: number;
}

/** The fields the queues read; the rest of a case may be absent (a list's tests give only these). */
export type QueueFields = Pick<CaseRecord, 'status' | 'createdAt' | 'updatedAt'> &
  Partial<
    Pick<
      CaseRecord,
      | 'urgency'
      | 'dispatchBy'
      | 'dispatchedAt'
      | 'signBy'
      | 'replyBy'
      | 'acceptedAt'
      | 'repliedAt'
      | 'nextCallbackAt'
      | 'callbackWindow'
      | 'closedAt'
      | 'evaluation'
      | 'timeline'
    >
  >;

const MINUTE = 60_000;

/** When the last event of this kind happened (the return, the reopen), else when the case last changed. */
function lastEventAt(c: QueueFields, kind: string): number {
  const timeline = c.timeline ?? [];
  for (let i = timeline.length - 1; i >= 0; i -= 1) {
    const e = timeline[i];
    if (e?.kind === kind) return e.at;
  }
  return c.updatedAt;
}

/** The deadline that applies to the case in its state (see DueKind). */
export function dueOf(c: QueueFields, policy: SlaPolicy | null): Due {
  const urgency: Urgency = c.urgency ?? 'normal';
  switch (c.status) {
    case 'registered':
      return { kind: 'dispatch', at: c.dispatchBy ?? (policy ? dispatchDeadline(urgency, c.createdAt, policy) : null), start: c.createdAt };
    case 'returned':
    case 'reopened': {
      const start = lastEventAt(c, c.status === 'returned' ? 'return' : 'reopen');
      return { kind: 'redispatch', at: policy ? start + policy.urgencies[urgency].dispatchWithinMinutes * MINUTE : null, start };
    }
    case 'dispatched':
      return { kind: 'sign', at: c.signBy ?? null, start: c.dispatchedAt ?? c.updatedAt };
    case 'accepted':
      return { kind: 'reply', at: c.replyBy ?? null, start: c.dispatchedAt ?? c.updatedAt };
    case 'replied': {
      const repliedAt = c.repliedAt ?? null;
      const at = callbackDueAt({ repliedAt, nextCallbackAt: c.nextCallbackAt ?? null, callbackWindow: c.callbackWindow ?? null, updatedAt: c.updatedAt });
      return { kind: 'callback', at, start: repliedAt ?? c.updatedAt };
    }
    case 'evaluated': {
      const start = c.evaluation?.at ?? c.updatedAt;
      return { kind: 'decide', at: start, start };
    }
    case 'answered':
      return { kind: 'close', at: c.updatedAt, start: c.updatedAt };
    case 'closed':
    case 'merged':
      return { kind: 'done', at: c.closedAt ?? c.updatedAt, start: c.closedAt ?? c.updatedAt };
  }
}

/**
 * How the due moment stands now: a deadline running (`on_time`, `at_risk` near it, `overdue`), a
 * callback or decision `waiting` (not yet due: a retry later, outside the citizen's window) or
 * `due` (the operator's turn now), or `done`.
 */
export type DueState = 'on_time' | 'at_risk' | 'overdue' | 'waiting' | 'due' | 'done';

export function dueState(due: Due, now: number, policy: SlaPolicy | null): DueState {
  if (due.kind === 'done') return 'done';
  if (due.at === null) return 'on_time';
  if (due.kind === 'callback' || due.kind === 'decide' || due.kind === 'close') return now >= due.at ? 'due' : 'waiting';
  if (policy) return deadlineState(due.start, due.at, now, policy);
  return now > due.at ? 'overdue' : 'on_time';
}

/** Higher is more pressing: emergency 2, urgent 1, normal 0 (a case without the field is normal). */
export function urgencyRank(urgency: Urgency | undefined): number {
  return URGENCY_ORDER.indexOf(urgency ?? 'normal');
}

/** Case numbers and ids are ASCII: code-unit order, as SQLite's BINARY collation compares them. */
function text(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The queues' order: the most urgent first; then the soonest deadline of the state (none last);
 * then the case number and the id, so the order is total. Depends on the case alone, never on the
 * clock, so a list kept in place stays sorted as time passes.
 */
export function compareQueue<C extends QueueFields & { number: string; id: string }>(policy: SlaPolicy | null): (a: C, b: C) => number {
  return (a, b) => {
    const byUrgency = urgencyRank(b.urgency) - urgencyRank(a.urgency);
    if (byUrgency !== 0) return byUrgency;
    const da = dueOf(a, policy).at;
    const db = dueOf(b, policy).at;
    if (da !== db) {
      if (da === null) return 1;
      if (db === null) return -1;
      return da - db;
    }
    return text(a.number, b.number) || text(a.id, b.id);
  };
}
