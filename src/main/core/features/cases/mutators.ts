import type { LocalDb } from '../../store/db';
import { MutationArgs, STEP_MUTATIONS, stepOf, type MutationArgsOf, type MutationName, type StepMutationName } from '../../../../shared/sync/mutations';
import { registeredCase, type CaseRecord } from '../../../../shared/domain/case';
import { absorb, LifecycleError, transition } from '../../../../shared/domain/lifecycle';
import { getCaseView, putCaseView } from './store';
import { getCategory, offlineReference } from '../reference';
import { amended, callbackAttempted, callerRevealed, repeatCalled, type AmendContext, type Timing } from '../../../../shared/domain/amend';
import { timingOf } from '../../../../shared/reference/sla';
import { SlaClass } from '../../../../shared/domain/reference';
import type { LocalMutator } from '../../sync/local';
import { compactAnswers } from '../../../../shared/reference/intake';
import { reassigned } from '../../../../shared/domain/assignment';

function viewRecord(db: LocalDb, id: string): CaseRecord | undefined {
  const view = getCaseView(db, id);
  if (!view) return undefined;
  const { pending: _p, ...record } = view;
  return record;
}

/** The deadlines of a case from the SLA policy this store holds (none before the first pull brings it). */
function timing(db: LocalDb, record: Pick<CaseRecord, 'slaClass' | 'categoryCode'>): Timing {
  const slaClass = SlaClass.safeParse(record.slaClass ?? getCategory(db, record.categoryCode)?.slaClass);
  return timingOf(offlineReference(db).slaPolicy(), slaClass.success ? slaClass.data : 'general');
}

/** An amendment of a case in view, applied with the shared function the server runs too. */
function amendMutator<N extends 'amendCase' | 'repeatCall' | 'revealCaller'>(
  name: N,
  apply: (record: CaseRecord, args: MutationArgsOf<N>, ctx: AmendContext, timing: Timing) => CaseRecord,
): LocalMutator {
  return (db, actor, raw, at) => {
    const args = MutationArgs[name].parse(raw) as MutationArgsOf<N>;
    const record = viewRecord(db, args.caseId);
    if (!record) return;
    putCaseView(db, apply(record, args, { at, actor: { id: actor.userId, station: actor.station } }, timing(db, record)), true);
  };
}

/**
 * A lifecycle step applied optimistically with the same transition the server runs. When the
 * step is not legal on what this workstation sees, the view is left alone: the server decides and
 * its rejection reaches the operator.
 */
function stepMutator(name: StepMutationName): LocalMutator {
  return (db, actor, raw, at) => {
    const args = MutationArgs[name].parse(raw);
    const record = viewRecord(db, args.caseId);
    if (!record) return;
    const step = stepOf(name, args);
    // A dispatch shows its deadlines at once, offline too, from the SLA policy held here; the
    // server's confirmation brings its own.
    const deadlines = step.action === 'dispatch' ? timing(db, record).deadlines(record.urgency, at) : null;
    const ctx = { at, actor: { kind: 'staff' as const, id: actor.userId, station: actor.station }, deadlines };
    try {
      putCaseView(db, transition(record, step, ctx), true);
    } catch (error) {
      if (error instanceof LifecycleError) return;
      throw error;
    }
    if (step.action === 'merge') {
      const target = viewRecord(db, step.intoCaseId);
      if (target) putCaseView(db, absorb(target, record, ctx), true);
    }
  };
}

/** Optimistic effects of mutations on the local view; the server's mutators are authoritative. */
export const caseMutators: Omit<Record<MutationName, LocalMutator>, 'saveArticle' | 'publishArticle' | 'retireArticle' | 'restoreArticle'> = {
  createCase(db, actor, raw) {
    const args = MutationArgs.createCase.parse(raw);
    putCaseView(
      db,
      registeredCase(
        { ...args, answers: compactAnswers(args.answers) },
        {
          channel: 'phone',
          createdBy: actor.userId,
          team: actor.team,
          station: actor.station,
          createdAt: args.createdAt,
          at: args.createdAt,
          assignee: actor.userId,
          slaClass: getCategory(db, args.categoryCode)?.slaClass ?? null,
          dispatchBy: timing(db, { slaClass: null, categoryCode: args.categoryCode }).dispatchBy(args.urgency, args.createdAt),
          // Where the address is: the server's resolution arrives with the confirmed case.
          districtCode: null,
          streetCode: null,
          actor: { id: actor.userId, kind: 'staff', station: actor.station },
        },
      ),
      true,
    );
  },
  reassignCase(db, actor, raw, at) {
    const args = MutationArgs.reassignCase.parse(raw);
    const record = viewRecord(db, args.caseId);
    // Not in view (it left our scopes): nothing to show; the server decides.
    if (!record) return;
    putCaseView(db, reassigned(record, args.toUserId, { at, actor: { id: actor.userId, station: actor.station } }), true);
  },
  amendCase: amendMutator('amendCase', (record, args, ctx, t) => amended(record, args.changes, ctx, t)),
  repeatCall: amendMutator('repeatCall', (record, args, ctx, t) => repeatCalled(record, args.note, ctx, t)),
  revealCaller: amendMutator('revealCaller', (record, args, ctx) => callerRevealed(record, args.reason, ctx)),
  callbackAttempt(db, actor, raw, at) {
    const { caseId, expectedRev: _r, ...attempt } = MutationArgs.callbackAttempt.parse(raw);
    const record = viewRecord(db, caseId);
    // As the server will: only while the case waits for its callback.
    if (record?.status !== 'replied') return;
    putCaseView(db, callbackAttempted(record, attempt, { at, actor: { id: actor.userId, station: actor.station } }), true);
  },
  ...(Object.fromEntries(Object.keys(STEP_MUTATIONS).map((name) => [name, stepMutator(name as StepMutationName)])) as Record<
    StepMutationName,
    LocalMutator
  >),
};
