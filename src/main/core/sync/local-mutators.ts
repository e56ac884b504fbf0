import type { LocalDb } from '../store/db';
import { MutationArgs, type MutationName } from '../../../shared/sync/mutations';
import { getCaseView, putCaseView } from '../store/cases';

/** Who is applying: the optimistic effect mirrors what the server will record. */
export interface LocalActor {
  userId: string;
  team: string;
  station: string;
}

/** Optimistic effects of mutations on the local view; the server's mutators are authoritative. */
export const localMutators: Record<MutationName, (db: LocalDb, actor: LocalActor, args: unknown) => void> = {
  createCase(db, actor, raw) {
    const args = MutationArgs.createCase.parse(raw);
    putCaseView(
      db,
      {
        id: args.id,
        number: args.number,
        status: 'registered',
        channel: 'phone',
        callerPhone: args.callerPhone,
        callerName: args.callerName,
        categoryCode: args.categoryCode,
        address: args.address,
        description: args.description,
        createdBy: actor.userId,
        team: actor.team,
        station: actor.station,
        createdAt: args.createdAt,
        updatedAt: args.createdAt,
        assignee: actor.userId,
        rev: 1,
      },
      true,
    );
  },
  reassignCase(db, _actor, raw) {
    const args = MutationArgs.reassignCase.parse(raw);
    const view = getCaseView(db, args.caseId);
    // Not in view (it left our scopes): nothing to show; the server decides.
    if (!view) return;
    const { pending: _p, ...record } = view;
    putCaseView(db, { ...record, assignee: args.toUserId, rev: record.rev + 1 }, true);
  },
};
