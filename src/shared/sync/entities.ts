import { z } from 'zod';
import { CaseRecord } from '../domain/case';
import { ExtendedCategory } from '../reference/categories';
import { UserInfo } from '../domain/user';
import { ArticleDraftRecord, ArticleRecord } from '../domain/article';

/** A reference document (units, routing, sla, geography) as the reference scope carries it. */
export const RefDoc = z.object({ name: z.string().min(1).max(40), hash: z.string(), content: z.unknown() });
export type RefDoc = z.infer<typeof RefDoc>;

/**
 * The synced entities and the schema of each one's state. The protocol, the server's change log
 * and the workstation's rebase work from this list: adding an entity is a line here, its scopes
 * on the server (src/server/sync/entities.ts) and its projection on the workstation
 * (src/main/core/entities.ts) — each a record keyed by these names, so the compiler names the
 * side that is missing.
 */
export const ENTITY_SCHEMAS = {
  case: CaseRecord,
  category: ExtendedCategory,
  user: UserInfo,
  refdoc: RefDoc,
  /** A published knowledge-base article (every workstation). */
  article: ArticleRecord,
  /** An article as its editors work on it: the latest version, draft or not. */
  articleDraft: ArticleDraftRecord,
} as const;

export type EntityName = keyof typeof ENTITY_SCHEMAS;
export type EntityState<E extends EntityName> = z.output<(typeof ENTITY_SCHEMAS)[E]>;
export const ENTITY_NAMES = Object.keys(ENTITY_SCHEMAS) as [EntityName, ...EntityName[]];
export const EntityName = z.enum(ENTITY_NAMES);

/** An entity's state from the wire or a store, validated against its schema (throws when malformed). */
export function parseEntity<E extends EntityName>(entity: E, data: unknown): EntityState<E> {
  return ENTITY_SCHEMAS[entity].parse(data) as EntityState<E>;
}

/** One entity: what a mutation touches and a rebase recomputes. */
export interface EntityRef {
  entity: EntityName;
  id: string;
}

/** A stable key of an entity reference, for sets and maps. */
export function entityKey(entity: EntityName, id: string): string {
  return `${entity}\u0000${id}`;
}

export function refOfKey(key: string): EntityRef {
  const at = key.indexOf('\u0000');
  return { entity: EntityName.parse(key.slice(0, at)), id: key.slice(at + 1) };
}
