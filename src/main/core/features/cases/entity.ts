import type { LocalEntity } from '../../sync/local';
import { clearCases, deleteCaseView, getCaseView, putCaseView } from './store';

/** A confirmed case is the operator's view row (pending mutations are re-applied on top by the rebase). */
export const caseEntity: LocalEntity<'case'> = {
  project: (db, id, state) => (state ? putCaseView(db, state, false) : deleteCaseView(db, id)),
  clear: clearCases,
  notify: (events, ids) => events.emit('cases.changed', { ids }),
  label: (db, id) => getCaseView(db, id)?.number ?? null,
  revision: (db, id) => getCaseView(db, id)?.rev,
};
