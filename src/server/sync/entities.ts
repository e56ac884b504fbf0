import type { EntityName, EntityState } from '../../shared/sync/entities';
import { caseScopes, JOINED_CASE_COLUMNS, joinedCase } from '../store/cases';
import { REFERENCE_SCOPE } from '../store/categories';
import type { ScopeContext } from './retention';
import { KB_EDIT_SCOPE, KB_SCOPE } from '../store/articles';

/**
 * Where a synced entity's state is kept in the change log. Either each change row carries a copy
 * (small reference data), or the entity has its own row, written in the same transaction, from
 * which the pull builds it (cases: a case in three scopes would otherwise be stored four times).
 */
export interface OwnRow {
  /** The table, joined as `alias` in the pull's one statement. */
  table: string;
  alias: string;
  /** `alias.column AS <alias>_column, …`: the joined columns, named apart from the change row's. */
  columns: string;
  /** The entity's state from a joined row; null when no row was joined. */
  build(row: Record<string, unknown>): Record<string, unknown> | null;
}

export interface ServerEntity<E extends EntityName> {
  /** The sync scopes that hold the entity in this state (at this moment); it leaves the others (a tombstone there). */
  scopes(state: EntityState<E>, ctx: ScopeContext): string[];
  ownRow?: OwnRow;
}

/** The server's half of the entity registry (`src/shared/sync/entities.ts`). */
export const SERVER_ENTITIES: { readonly [E in EntityName]: ServerEntity<E> } = {
  case: { scopes: caseScopes, ownRow: { table: 'cases', alias: 'k', columns: JOINED_CASE_COLUMNS, build: joinedCase } },
  category: { scopes: () => [REFERENCE_SCOPE] },
  user: { scopes: () => [REFERENCE_SCOPE] },
  refdoc: { scopes: () => [REFERENCE_SCOPE] },
  // Published articles go to every workstation; a retired one leaves (the change carries null).
  article: { scopes: () => [KB_SCOPE] },
  articleDraft: { scopes: () => [KB_EDIT_SCOPE] },
};

export function scopesOf<E extends EntityName>(entity: E, state: EntityState<E>, ctx: ScopeContext): string[] {
  return SERVER_ENTITIES[entity].scopes(state, ctx);
}

/** Entities kept in their own row, with what the pull joins for them. */
export const OWN_ROW_ENTITIES = (Object.entries(SERVER_ENTITIES) as [EntityName, ServerEntity<EntityName>][]).flatMap(([entity, spec]) =>
  spec.ownRow ? [{ entity, ...spec.ownRow }] : [],
);
