import type { LocalDb } from '../store/db';
import type { Change } from '../../../shared/sync/protocol';
import { touchedCaseIds } from '../../../shared/sync/mutations';
import { CaseRecord } from '../../../shared/domain/case';
import { Category } from '../../../shared/domain/reference';
import { deleteConfirmed, getConfirmed, putConfirmed } from '../store/confirmed';
import { deleteCaseView, putCaseView } from '../store/cases';
import { deleteCategory, putCategory } from '../store/reference';
import { removeConfirmed, unconfirmed, type OutboxEntry } from '../store/outbox';
import { setCursor } from '../store/meta';
import { localMutators, type LocalActor } from './local-mutators';

/**
 * Recomputes the view rows of the given cases: confirmed state, then this client's unconfirmed
 * mutations re-applied in order. Afterwards view = server state + pending (invariant 1).
 */
export function rebaseCases(db: LocalDb, actor: LocalActor & { clientId: string }, ids: Iterable<string>): void {
  const wanted = new Set(ids);
  if (wanted.size === 0) return;
  for (const id of wanted) {
    const confirmed = getConfirmed(db, 'case', id);
    if (confirmed === undefined) deleteCaseView(db, id);
    else putCaseView(db, CaseRecord.parse(confirmed), false);
  }
  for (const m of unconfirmed(db, actor.clientId)) {
    if (touchedCaseIds(m.name, m.args).some((id) => wanted.has(id))) localMutators[m.name](db, actor, m.args);
  }
}

export interface PageResult {
  changedCaseIds: string[];
  confirmedMutations: OutboxEntry[];
}

/** Applies one pull page in one transaction: confirmed state, acknowledged outbox rows, rebase, cursor. */
export function applyPullPage(
  db: LocalDb,
  actor: LocalActor & { clientId: string },
  page: { changes: readonly Change[]; cursor: number; lastSeq: number },
): PageResult {
  return db.transaction((): PageResult => {
    const caseIds = new Set<string>();
    for (const change of page.changes) {
      if (change.entity === 'case') {
        caseIds.add(change.id);
        if (change.data === null) deleteConfirmed(db, 'case', change.id);
        else putConfirmed(db, 'case', change.id, change.version, CaseRecord.parse(change.data));
      } else {
        if (change.data === null) {
          deleteConfirmed(db, 'category', change.id);
          deleteCategory(db, change.id);
        } else {
          const category = Category.parse(change.data);
          putConfirmed(db, 'category', change.id, change.version, category);
          putCategory(db, category);
        }
      }
    }
    const confirmedMutations = removeConfirmed(db, actor.clientId, page.lastSeq);
    for (const m of confirmedMutations) touchedCaseIds(m.name, m.args).forEach((id) => caseIds.add(id));
    rebaseCases(db, actor, caseIds);
    setCursor(db, page.cursor);
    return { changedCaseIds: [...caseIds], confirmedMutations };
  })();
}
