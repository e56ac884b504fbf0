import { serverCopyWrite, type LocalDb } from '../store/db';
import type { Change, Cursors, Poke } from '../../../shared/sync/protocol';
import { touchedEntities } from '../../../shared/sync/mutations';
import { entityKey, parseEntity, refOfKey, type EntityName } from '../../../shared/sync/entities';
import { advanceCursors, clearSynced, confirmedVersion, deleteConfirmed, getConfirmed, getCursors, putConfirmed } from '../store/confirmed';
import { removeConfirmed, unconfirmed, unconfirmedTouching, type OutboxEntry } from '../store/outbox';
import { LOCAL_ENTITIES, LOCAL_MUTATORS } from '../entities';
import { changedOfRefs, type Changed, type LocalActor } from './local';

export type { Changed } from './local';

export type SyncActor = LocalActor & { clientId: string };


/** States parsed from the batch being applied, by entity key: reused when they are the newest confirmed. */
type Known = ReadonlyMap<string, { version: number; state: unknown }>;

function project(db: LocalDb, entity: EntityName, id: string, state: unknown): void {
  (LOCAL_ENTITIES[entity].project as (db: LocalDb, id: string, state: unknown) => void)(db, id, state);
}

/**
 * Recomputes the view of the given entities (keys from `entityKey`): confirmed state, then this
 * client's unconfirmed mutations that touch them re-applied in order. Afterwards view = server
 * state + pending (invariant 1).
 */
export function rebase(db: LocalDb, actor: SyncActor, keys: ReadonlySet<string>, known?: Known): void {
  if (keys.size === 0) return;
  for (const key of keys) {
    const { entity, id } = refOfKey(key);
    // A state just stored from this batch is the confirmed one when no scope holds a newer
    // version: then the parsed state is used as is instead of being read back and parsed again.
    const fresh = known?.get(key);
    if (fresh && confirmedVersion(db, entity, id) === fresh.version) {
      project(db, entity, id, fresh.state);
      continue;
    }
    const confirmed = getConfirmed(db, entity, id);
    project(db, entity, id, confirmed === undefined ? undefined : parseEntity(entity, confirmed));
  }
  for (const m of unconfirmedTouching(db, actor.clientId, keys)) LOCAL_MUTATORS[m.name](db, actor, m.args, m.at);
}

/** `rebase` of cases by id. */
export function rebaseCases(db: LocalDb, actor: SyncActor, ids: Iterable<string>): void {
  rebase(db, actor, new Set([...ids].map((id) => entityKey('case', id))));
}

function addTouched(keys: Set<string>, m: OutboxEntry): void {
  for (const ref of touchedEntities(m.name, m.args)) keys.add(entityKey(ref.entity, ref.id));
}

/**
 * Stores changes as confirmed state; returns the keys of the entities whose view must be rebuilt,
 * and the parsed state of those seen in this batch (the newest per entity), which is their
 * confirmed state unless another scope holds a newer one — checked by `rebase`.
 */
function applyChanges(db: LocalDb, changes: readonly Change[]): { keys: Set<string>; known: Map<string, { version: number; state: unknown }> } {
  const keys = new Set<string>();
  const known = new Map<string, { version: number; state: unknown }>();
  for (const c of changes) {
    const key = entityKey(c.entity, c.id);
    keys.add(key);
    if (c.data === null) {
      deleteConfirmed(db, c.entity, c.id, c.scope, c.version);
      continue;
    }
    // Validate before storing: nothing malformed from the wire reaches the cache.
    const state = parseEntity(c.entity, c.data);
    putConfirmed(db, c.entity, c.id, c.scope, c.version, state);
    const prior = known.get(key);
    if (!prior || prior.version < c.version) known.set(key, { version: c.version, state });
  }
  return { keys, known };
}

/** The changed keys grouped by entity, for the renderer's events. */
export function changedOf(keys: Iterable<string>): Changed {
  return changedOfRefs([...keys].map(refOfKey));
}

export interface PageResult {
  changed: Changed;
  confirmedMutations: OutboxEntry[];
}

/**
 * Applies one pull page in one transaction: (reset,) confirmed state, cursors, acknowledged
 * outbox rows leave, and the touched entities are rebased.
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
    const keys = new Set<string>();
    if (page.reset) {
      clearSynced(db, LOCAL_ENTITIES);
      // Pending mutations keep their effect on the now empty view.
      for (const m of unconfirmed(db, actor.clientId)) addTouched(keys, m);
    }
    // A page read before a poke we already applied may carry older states (even of an entity that
    // has since left the scope, whose local row is gone): what a cursor already covers is skipped.
    const had = page.reset ? {} : getCursors(db);
    const fresh = page.changes.filter((c) => c.version > (had[c.scope] ?? 0));
    const applied = applyChanges(db, fresh);
    applied.keys.forEach((k) => keys.add(k));
    advanceCursors(db, page.cursors);
    const confirmedMutations = page.more ? [] : removeConfirmed(db, actor.clientId, page.lastSeq);
    for (const m of confirmedMutations) addTouched(keys, m);
    rebase(db, actor, keys, applied.known);
    return { changed: changedOf(keys), confirmedMutations };
  }));
}

export type PokeResult = { applied: true; changed: Changed } | { applied: false; needPull: boolean };

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
    const { keys, known } = applyChanges(db, poke.changes.filter((c) => c.version > cursor));
    advanceCursors(db, { [poke.scope]: poke.version });
    rebase(db, actor, keys, known);
    return { applied: true, changed: changedOf(keys) };
  }));
}
