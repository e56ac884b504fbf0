import { serverCopyWrite, type LocalDb } from '../store/db';
import type { Change, Cursors, Poke } from '../../../shared/sync/protocol';
import { touchedCaseIds } from '../../../shared/sync/mutations';
import { CaseRecord } from '../../../shared/domain/case';
import { ExtendedCategory } from '../../../shared/reference/categories';
import { RefDoc } from '../../../shared/sync/protocol';
import { UserInfo } from '../../../shared/domain/user';
import { advanceCursors, clearSynced, confirmedVersion, deleteConfirmed, getConfirmed, getCursors, putConfirmed } from '../store/confirmed';
import { deleteCaseView, putCaseView } from '../store/cases';
import { deleteCategory, putCategory } from '../store/reference';
import { deleteUser, putUser } from '../store/users';
import { removeConfirmed, unconfirmed, unconfirmedTouching, type OutboxEntry } from '../store/outbox';
import { localMutators, type LocalActor } from './local-mutators';

export type SyncActor = LocalActor & { clientId: string };

/**
 * Recomputes the view rows of the given cases: confirmed state, then this client's unconfirmed
 * mutations re-applied in order. Afterwards view = server state + pending (invariant 1).
 */
export function rebaseCases(
  db: LocalDb,
  actor: SyncActor,
  ids: Iterable<string>,
  known?: ReadonlyMap<string, { version: number; record: CaseRecord }>,
): void {
  const wanted = new Set(ids);
  if (wanted.size === 0) return;
  for (const id of wanted) {
    // A case just stored from this batch is its confirmed state when no scope holds a newer
    // version: then the parsed record is used as is instead of being read back and parsed again.
    const fresh = known?.get(id);
    if (fresh && confirmedVersion(db, 'case', id) === fresh.version) {
      putCaseView(db, fresh.record, false);
      continue;
    }
    const confirmed = getConfirmed(db, 'case', id);
    if (confirmed === undefined) deleteCaseView(db, id);
    else putCaseView(db, CaseRecord.parse(confirmed), false);
  }
  for (const m of unconfirmedTouching(db, actor.clientId, wanted)) localMutators[m.name](db, actor, m.args, m.at);
}

function parseEntity(entity: Change['entity'], data: unknown): unknown {
  switch (entity) {
    case 'case':
      return CaseRecord.parse(data);
    case 'category':
      return ExtendedCategory.parse(data);
    case 'user':
      return UserInfo.parse(data);
    case 'refdoc':
      return RefDoc.parse(data);
  }
}

/**
 * Stores changes as confirmed state; returns the case ids whose view must be rebuilt, and the
 * parsed state of cases seen once in this batch (in one scope), which is their confirmed state
 * unless another scope holds a newer one — checked by the caller through `single`.
 */
function applyChanges(db: LocalDb, changes: readonly Change[]): { caseIds: Set<string>; known: Map<string, { version: number; record: CaseRecord }> } {
  const caseIds = new Set<string>();
  const known = new Map<string, { version: number; record: CaseRecord }>();
  const refs = new Map<string, Change>();
  for (const c of changes) {
    if (c.data === null) deleteConfirmed(db, c.entity, c.id, c.scope, c.version);
    else {
      // Validate before storing: nothing malformed from the wire reaches the cache.
      const data = parseEntity(c.entity, c.data);
      putConfirmed(db, c.entity, c.id, c.scope, c.version, data);
      const prior = known.get(c.id);
      if (c.entity === 'case' && (!prior || prior.version < c.version)) known.set(c.id, { version: c.version, record: data as CaseRecord });
    }
    if (c.entity === 'case') caseIds.add(c.id);
    else refs.set(`${c.entity}:${c.id}`, c);
  }
  for (const c of refs.values()) {
    const data = getConfirmed(db, c.entity, c.id);
    if (c.entity === 'category') {
      if (data === undefined) deleteCategory(db, c.id);
      else putCategory(db, ExtendedCategory.parse(data));
    } else if (c.entity === 'user') {
      if (data === undefined) deleteUser(db, c.id);
      else putUser(db, UserInfo.parse(data));
    }
    // Reference documents are read from the confirmed state itself (store/reference-docs.ts).
  }
  return { caseIds, known };
}

export interface PageResult {
  changedCaseIds: string[];
  confirmedMutations: OutboxEntry[];
}

/**
 * Applies one pull page in one transaction: (reset,) confirmed state, cursors, acknowledged
 * outbox rows leave, and the touched cases are rebased.
 *
 * Acknowledged rows leave only with the last page of a pull (`more` false): `lastSeq` counts every
 * mutation committed when the page was read, but only the last page holds all their changes. On an
 * earlier page a confirmed mutation whose changes come later would vanish from the view until then.
 */
export function applyPullPage(
  db: LocalDb,
  actor: SyncActor,
  page: { reset: boolean; changes: readonly Change[]; cursors: Cursors; lastSeq: number; more?: boolean },
): PageResult {
  return serverCopyWrite(db, db.transaction((): PageResult => {
    const caseIds = new Set<string>();
    if (page.reset) {
      clearSynced(db);
      // Pending mutations keep their effect on the now empty view.
      for (const m of unconfirmed(db, actor.clientId)) touchedCaseIds(m.name, m.args).forEach((id) => caseIds.add(id));
    }
    // A page read before a poke we already applied may carry older states (even of an entity that
    // has since left the scope, whose local row is gone): what a cursor already covers is skipped.
    const had = page.reset ? {} : getCursors(db);
    const fresh = page.changes.filter((c) => c.version > (had[c.scope] ?? 0));
    const applied = applyChanges(db, fresh);
    applied.caseIds.forEach((id) => caseIds.add(id));
    advanceCursors(db, page.cursors);
    const confirmedMutations = page.more ? [] : removeConfirmed(db, actor.clientId, page.lastSeq);
    for (const m of confirmedMutations) touchedCaseIds(m.name, m.args).forEach((id) => caseIds.add(id));
    rebaseCases(db, actor, caseIds, applied.known);
    return { changedCaseIds: [...caseIds], confirmedMutations };
  }));
}

export type PokeResult = { applied: true; changedCaseIds: string[] } | { applied: false; needPull: boolean };

/**
 * Applies a poke's inline changes when this client holds everything of the scope up to the poke's
 * `prev`; otherwise the client must pull (or, when it is already past the poke, nothing to do).
 */
export function applyPoke(db: LocalDb, actor: SyncActor, poke: Poke): PokeResult {
  return serverCopyWrite(db, db.transaction((): PokeResult => {
    const cursor = getCursors(db)[poke.scope];
    if (cursor === undefined) return { applied: false, needPull: true };
    if (cursor >= poke.version) return { applied: false, needPull: false };
    if (cursor < poke.prev || !poke.changes) return { applied: false, needPull: true };
    const { caseIds, known } = applyChanges(db, poke.changes.filter((c) => c.version > cursor));
    advanceCursors(db, { [poke.scope]: poke.version });
    rebaseCases(db, actor, caseIds, known);
    return { applied: true, changedCaseIds: [...caseIds] };
  }));
}
