import type { LocalDb } from '../../store/db';
import { MutationArgs, STEP_MUTATIONS, stepOf, type MutationName, type StepMutationName } from '../../../../shared/sync/mutations';
import { registeredCase, type CaseRecord } from '../../../../shared/domain/case';
import { absorb, LifecycleError, transition } from '../../../../shared/domain/lifecycle';
import { getCaseView, putCaseView } from './store';
import { getCategory } from '../reference';
import type { LocalMutator } from '../../sync/local';
import { compactAnswers } from '../../../../shared/reference/intake';
import { reassigned } from '../../../../shared/domain/assignment';

function viewRecord(db: LocalDb, id: string): CaseRecord | undefined {
  const view = getCaseView(db, id);
  if (!view) return undefined;
  const { pending: _p, ...record } = view;
  return record;
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
    const ctx = { at, actor: { kind: 'staff' as const, id: actor.userId, station: actor.station } };
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
export const caseMutators: Record<MutationName, LocalMutator> = {
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
  ...(Object.fromEntries(Object.keys(STEP_MUTATIONS).map((name) => [name, stepMutator(name as StepMutationName)])) as Record<
    StepMutationName,
    LocalMutator
  >),
};
