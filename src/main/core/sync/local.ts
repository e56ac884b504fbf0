import type { LocalDb } from '../store/db';
import type { EntityName, EntityRef, EntityState } from '../../../shared/sync/entities';
import type { ContractEvents } from '../events';

/** Who is applying a mutation locally: the optimistic effect mirrors what the server will record. */
export interface LocalActor {
  userId: string;
  team: string;
  station: string;
}

/** The optimistic effect of one mutation on the view tables (the server's mutator is authoritative). */
export type LocalMutator = (db: LocalDb, actor: LocalActor, args: unknown, at: number) => void;

/**
 * The workstation's half of an entity in the registry (`src/shared/sync/entities.ts`): how its
 * confirmed state is projected into the view tables that features query, how those are emptied
 * when the cache is dropped, and what the renderer is told when some changed.
 */
export interface LocalEntity<E extends EntityName> {
  /** Writes the confirmed state into the view (undefined: no scope holds it any more). */
  project(db: LocalDb, id: string, state: EntityState<E> | undefined): void;
  /** Empties the entity's view tables. */
  clear(db: LocalDb): void;
  /** Tells the renderer which of these entities changed. */
  notify(events: ContractEvents, ids: string[]): void;
  /** How a message names the entity to the operator (a case number), when it is in view. */
  label?(db: LocalDb, id: string): string | null;
  /** The revision the operator sees now (confirmed + pending), for redoing a conflicted change. */
  revision?(db: LocalDb, id: string): number | undefined;
}

/** The entities a sync step changed, by kind (each id once). */
export type Changed = Partial<Record<EntityName, string[]>>;

export function changedOfRefs(refs: Iterable<EntityRef>): Changed {
  const sets = new Map<EntityName, Set<string>>();
  for (const { entity, id } of refs) {
    let ids = sets.get(entity);
    if (!ids) {
      ids = new Set();
      sets.set(entity, ids);
    }
    ids.add(id);
  }
  const out: Changed = {};
  for (const [entity, ids] of sets) out[entity] = [...ids];
  return out;
}
