import type { MutationName } from '../../shared/sync/mutations';
import type { EntityName } from '../../shared/sync/entities';
import type { Changed, LocalEntity, LocalMutator } from './sync/local';
import type { ContractEvents } from './events';
import { caseEntity } from './features/cases/entity';
import { caseMutators } from './features/cases/mutators';
import { categoryEntity, refdocEntity, userEntity } from './features/reference/entities';
import { articleDraftEntity, articleEntity } from './features/kb/entities';
import { kbMutators } from './features/kb/mutators';

/**
 * The workstation's half of the entity registry: each synced entity's projection, registered by
 * the feature that owns its view tables. The sync engine (pull, pokes, rebase, rejections) works
 * from this and knows no entity by name.
 */
export const LOCAL_ENTITIES: { readonly [E in EntityName]: LocalEntity<E> } = {
  case: caseEntity,
  category: categoryEntity,
  user: userEntity,
  refdoc: refdocEntity,
  article: articleEntity,
  articleDraft: articleDraftEntity,
};

/** The optimistic effect of every mutation, registered by the feature that owns it. */
export const LOCAL_MUTATORS: Readonly<Record<MutationName, LocalMutator>> = { ...caseMutators, ...kbMutators };

/** Tells the renderer about changed entities: one event per kind, naming the ids. */
export function notifyChanged(events: ContractEvents, changed: Changed): void {
  for (const entity of Object.keys(changed) as EntityName[]) {
    const ids = changed[entity];
    if (ids && ids.length > 0) LOCAL_ENTITIES[entity].notify(events, ids);
  }
}
