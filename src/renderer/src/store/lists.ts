/**
 * The case lists as the core's `cases.list` answers them (src/main/core … cases store: listCases,
 * listMyOpenCases, listCallbackQueue, listWithUnits, listReturned), written once for the renderer:
 * which cases belong in each list and in what order (the queues' order is shared/domain/queue.ts). The store keeps its lists current with these
 * instead of reloading them on every change; tests/e2e/case-lists.spec.ts holds them against the
 * core's own answers. Pure: no React, no DOM.
 */
import type { CaseListScope } from '../../../shared/contract/contract';
import type { CaseView } from '../../../shared/domain/case';
import { isOpen } from '../../../shared/domain/lifecycle';
import { compareQueue, type QueueFields } from '../../../shared/domain/queue';
import type { SlaPolicy } from '../../../shared/reference/sla';

/** The four lists of the first workstation (their tests hold each against the core). */
export const LIST_SCOPES: readonly CaseListScope[] = ['mine', 'team', 'callback', 'withUnits'];
/** Every list the store keeps: the four and the queues added since. */
export const ALL_SCOPES: readonly CaseListScope[] = [...LIST_SCOPES, 'returned'];

/** The fields a list filters and sorts by (the queue fields beyond these may be absent: a case without them is normal and has no deadline). */
export type ListedCase = Pick<CaseView, 'id' | 'number' | 'status' | 'team' | 'createdBy' | 'assignee' | 'createdAt' | 'updatedAt' | 'replyBy'> & QueueFields;

/** Whose lists: the signed-in user. */
export interface ListOwner {
  id: string;
  team: string;
}

const WITH_UNITS: ReadonlySet<string> = new Set(['dispatched', 'accepted', 'returned']);

/**
 * mine: open, registered by me or held by me now; team: my team's; callback: my team's replied
 * cases; withUnits: my team's cases out with a unit or handed back; returned: handed back.
 */
export function belongsTo(scope: CaseListScope, c: ListedCase, me: ListOwner): boolean {
  switch (scope) {
    case 'mine':
      return (c.createdBy === me.id || c.assignee === me.id) && isOpen(c.status);
    case 'team':
      return c.team === me.team;
    case 'callback':
      return c.team === me.team && c.status === 'replied';
    case 'withUnits':
      return c.team === me.team && WITH_UNITS.has(c.status);
    case 'returned':
      return c.team === me.team && c.status === 'returned';
  }
}

/** SQLite compares TEXT byte-wise (BINARY); case numbers are ASCII, where code-unit order is the same. */
function text(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * team: newest first (`created_at DESC, number DESC`); the queues (mine, callback, withUnits,
 * returned): the most urgent first, then the soonest deadline of the state (`compareQueue`, with
 * the SLA policy this workstation holds). The id breaks ties the numbers cannot have.
 */
export function compareIn(scope: CaseListScope, policy: SlaPolicy | null = null): (a: ListedCase, b: ListedCase) => number {
  switch (scope) {
    case 'team':
      return (a, b) => b.createdAt - a.createdAt || text(b.number, a.number) || text(a.id, b.id);
    case 'mine':
    case 'callback':
    case 'withUnits':
    case 'returned':
      return compareQueue(policy);
  }
}

/** The list `cases.list {scope, limit}` gives when these are all the cases on the workstation. */
export function listOf<C extends ListedCase>(scope: CaseListScope, cases: readonly C[], me: ListOwner, limit: number, policy: SlaPolicy | null = null): C[] {
  return cases.filter((c) => belongsTo(scope, c, me)).sort(compareIn(scope, policy)).slice(0, limit);
}

export interface LoadedList {
  ids: readonly string[];
  /** Every case of the list is in `ids` (the core gave fewer than the limit); else more may follow. */
  complete: boolean;
}

/**
 * The list after the cases in `changed` changed (or left the workstation), in place: `get` gives
 * each case as it is now (undefined: gone). Null when the list cannot be known without asking
 * the core: a list cut at `limit` lost a case and the next one is not here, or a changed case now
 * sorts past the cases known to be in it.
 */
export function updateList(
  scope: CaseListScope,
  list: LoadedList,
  changed: ReadonlySet<string>,
  get: (id: string) => ListedCase | undefined,
  me: ListOwner,
  limit: number,
  policy: SlaPolicy | null = null,
): LoadedList | null {
  const compare = compareIn(scope, policy);
  const kept: ListedCase[] = [];
  for (const id of list.ids) {
    if (changed.has(id)) continue;
    const c = get(id);
    if (!c) return null; // a row we cannot sort by: ask
    kept.push(c);
  }
  const arriving = [...changed].map(get).filter((c): c is ListedCase => c !== undefined && belongsTo(scope, c, me));
  const merged = [...kept, ...arriving].sort(compare);
  if (list.complete) {
    return { ids: merged.slice(0, limit).map((c) => c.id), complete: merged.length <= limit };
  }
  // Cut at the limit: cases not here all sort after the last kept one. Only what sorts before it is known.
  const last = kept.at(-1);
  if (!last) return null;
  const known = merged.filter((c) => compare(c, last) <= 0);
  if (known.length < limit) return null;
  return { ids: known.slice(0, limit).map((c) => c.id), complete: false };
}
