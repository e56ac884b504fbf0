import type { WorkstationApi } from '../../../shared/contract/api';
import type { CaseListScope, Rejection, SessionInfo, SyncProgress, SyncStatus, UnitInfo } from '../../../shared/contract/contract';
import type { SlaPolicy } from '../../../shared/reference/sla';
import type { CaseView } from '../../../shared/domain/case';
import type { UserInfo } from '../../../shared/domain/user';
import type { AppError } from '../../../shared/result';
import { buildTree, EMPTY_TREE, type CategoryTree } from './categories';
import { ALL_SCOPES, updateList, type ListOwner } from './lists';

export type SessionState = { kind: 'loading' } | { kind: 'out' } | { kind: 'in'; session: SessionInfo };

export interface ListState {
  /** The list's cases in order; null until it has been loaded. */
  ids: readonly string[] | null;
  /** Every case of the list is in `ids`; false when it was cut at the limit. */
  complete: boolean;
  error: AppError | null;
}

export interface Reference {
  units: ReadonlyMap<string, UnitInfo>;
  sla: SlaPolicy | null;
  /** The user directory (names for the ids on a timeline). */
  users: ReadonlyMap<string, UserInfo>;
}

export interface StoreState {
  session: SessionState;
  sync: SyncStatus | null;
  /** The current catch-up (a fresh workstation's initial sync), or null when there is none. */
  progress: SyncProgress | null;
  /** Mutations the server refused, newest first. */
  rejections: readonly Rejection[];
  categories: CategoryTree;
  categoriesError: AppError | null;
  /** Units and the SLA policy from the workstation's reference cache (for names and deadlines). */
  reference: Reference;
  /** The cases some list holds or some view watches, by id; one object per case, replaced when it changes. */
  cases: ReadonlyMap<string, CaseView>;
  /** Why a watched case is not in `cases` (not on this workstation, or it could not be read). */
  caseErrors: ReadonlyMap<string, AppError>;
  lists: Readonly<Record<CaseListScope, ListState>>;
}

/** How many cases a list shows; the core is asked for this many. */
export const LIST_LIMIT = 200;
/** The most ids `cases.getMany` takes; a larger change reloads the lists instead. */
export const GET_MANY_MAX = 500;

const NO_REFERENCE: Reference = { units: new Map(), sla: null, users: new Map() };
const NO_LIST: ListState = { ids: null, complete: false, error: null };
const NO_LISTS: Record<CaseListScope, ListState> = { mine: NO_LIST, team: NO_LIST, callback: NO_LIST, withUnits: NO_LIST, returned: NO_LIST };

function fresh(session: SessionState): StoreState {
  return {
    session,
    sync: null,
    progress: null,
    rejections: [],
    categories: EMPTY_TREE,
    categoriesError: null,
    reference: NO_REFERENCE,
    cases: new Map(),
    caseErrors: new Map(),
    lists: NO_LISTS,
  };
}

/** Whose data: a user in a data space (live or training); the cases of one are never shown to another. */
export function sessionKey(session: SessionInfo): string {
  return `${session.user.id}@${session.space}`;
}

function sameIds(a: readonly string[] | null, b: readonly string[] | null): boolean {
  return a === b || (a !== null && b !== null && a.length === b.length && a.every((id, i) => id === b[i]));
}

/**
 * The renderer's state, fed by the core's events: the session, sync status and progress,
 * rejections, categories, and the cases with the four lists as ordered ids. On `cases.changed`
 * it asks for just those cases (`cases.getMany`) and updates rows and lists in place with the
 * lists' own rules (lists.ts); it reloads a list from the core only when that cannot be known
 * here. Read it with the hooks in hooks.ts (useSyncExternalStore).
 *
 * Answers are applied in the order they arrive, which is the order the core handled the calls
 * (both transports keep it), so a later answer is never older than an earlier one.
 */
export class Store {
  private state: StoreState = fresh({ kind: 'loading' });
  private readonly listeners = new Set<() => void>();
  private running = 0;
  private stopEvents: (() => void) | null = null;
  private heardSession = false;
  /** Bumped when the user changes: answers to calls made for the previous one are dropped. */
  private generation = 0;
  private heardSync = false;
  private categoriesJson = '';
  private readonly wanted = new Map<CaseListScope, number>();
  private readonly listRequest: Record<CaseListScope, number> = { mine: 0, team: 0, callback: 0, withUnits: 0, returned: 0 };
  private readonly watched = new Map<string, number>();

  constructor(
    private readonly api: WorkstationApi,
    private readonly listLimit = LIST_LIMIT,
  ) {}

  getState = (): StoreState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Listens to the core's events (and finds out whether it already holds a session) until the returned function is called. */
  start(): () => void {
    if (this.running++ === 0) {
      const offs = [
        this.api.on('session.changed', (session) => {
          this.heardSession = true;
          this.adoptSession(session);
        }),
        this.api.on('sync.status', (status) => this.syncStatus(status)),
        this.api.on('sync.progress', (progress) => this.set({ progress: progress.done ? null : progress })),
        this.api.on('sync.rejected', (rejection) => this.mergeRejections([rejection])),
        this.api.on('cases.changed', ({ ids }) => void this.casesChanged(ids)),
        this.api.on('reference.changed', ({ kinds }) => {
          if (this.state.session.kind !== 'in') return;
          if (kinds.includes('category')) this.loadCategories();
          if (kinds.includes('refdoc') || kinds.includes('user')) this.loadReference();
        }),
      ];
      this.stopEvents = () => offs.forEach((off) => off());
      if (this.state.session.kind === 'loading') {
        // The core may already hold a session (a reload of the window): resume it.
        void this.api.invoke('session.current', {}).then((res) => {
          if (!this.heardSession && this.state.session.kind === 'loading') this.adoptSession(res.ok ? res.value : null);
        });
      }
    }
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      if (--this.running === 0) {
        this.stopEvents?.();
        this.stopEvents = null;
      }
    };
  }

  // ---- session ----

  /** A new session (login, the core's event) or none; another user, or another data space, starts from nothing. */
  adoptSession(session: SessionInfo | null): void {
    const before = this.state.session.kind === 'in' ? sessionKey(this.state.session.session) : null;
    const after = session ? sessionKey(session) : null;
    const next: SessionState = session ? { kind: 'in', session } : { kind: 'out' };
    if (before === after && this.state.session.kind !== 'loading') {
      this.set({ session: next });
      return;
    }
    this.generation += 1;
    this.heardSync = false;
    this.categoriesJson = '';
    for (const scope of ALL_SCOPES) this.listRequest[scope] += 1;
    this.state = fresh(next);
    this.emit();
    if (session) this.loadUserData();
  }

  async logout(): Promise<void> {
    await this.api.invoke('session.logout', {});
    this.adoptSession(null);
  }

  private me(): ListOwner | null {
    const s = this.state.session;
    return s.kind === 'in' ? { id: s.session.user.id, team: s.session.user.team } : null;
  }

  private loadUserData(): void {
    const generation = this.generation;
    void this.api.invoke('sync.status', {}).then((res) => {
      // An event that arrived meanwhile is newer than this answer.
      if (generation === this.generation && res.ok && !this.heardSync) this.set({ sync: res.value });
    });
    void this.api.invoke('sync.rejections', {}).then((res) => {
      if (generation === this.generation && res.ok) this.mergeRejections(res.value);
    });
    this.loadCategories();
    this.loadReference();
    for (const scope of ALL_SCOPES) if (this.wanted.get(scope)) void this.loadList(scope);
    const watched = [...this.watched.keys()];
    if (watched.length > 0) void this.fetchCases(watched);
  }

  // ---- sync status, progress, rejections, reference data ----

  private syncStatus(status: SyncStatus): void {
    this.heardSync = true;
    this.set({ sync: status });
  }

  /** Units and SLA policy; reloaded when a pull brings reference documents. */
  private loadReference(): void {
    const generation = this.generation;
    const calls = [this.api.invoke('reference.units', {}), this.api.invoke('reference.sla', {}), this.api.invoke('reference.users', {})] as const;
    void Promise.all(calls).then(([units, sla, users]) => {
      if (generation !== this.generation || !units.ok || !sla.ok) return;
      const slaChanged = JSON.stringify(sla.value) !== JSON.stringify(this.state.reference.sla);
      this.set({ reference: { units: new Map(units.value.map((u) => [u.id, u])), sla: sla.value, users: new Map((users.ok ? users.value : []).map((u) => [u.id, u])) } });
      // The queues are ordered by the policy's deadlines: a new policy may order them otherwise.
      if (slaChanged) this.reloadAll();
    });
  }

  private loadCategories(): void {
    const generation = this.generation;
    void this.api.invoke('reference.categories', {}).then((res) => {
      if (generation !== this.generation) return;
      if (!res.ok) {
        this.set({ categoriesError: res.error });
        return;
      }
      const json = JSON.stringify(res.value);
      if (json === this.categoriesJson) {
        if (this.state.categoriesError) this.set({ categoriesError: null });
        return;
      }
      this.categoriesJson = json;
      this.set({ categories: buildTree(res.value), categoriesError: null });
    });
  }

  private mergeRejections(incoming: readonly Rejection[]): void {
    const known = new Set(this.state.rejections.map((r) => r.mutationId));
    const added = incoming.filter((r) => !known.has(r.mutationId));
    if (added.length > 0) this.set({ rejections: [...added, ...this.state.rejections].sort((a, b) => b.at - a.at) });
  }

  dismissRejection(mutationId: string): void {
    this.set({ rejections: this.state.rejections.filter((r) => r.mutationId !== mutationId) });
    void this.api.invoke('sync.dismissRejection', { mutationId });
  }

  /** A conflict: the core repeats the action on the case as it is now, and the entry goes. */
  redoRejection(mutationId: string): void {
    void this.api.invoke('sync.redo', { mutationId }).then((res) => {
      if (res.ok) this.set({ rejections: this.state.rejections.filter((r) => r.mutationId !== mutationId) });
    });
  }

  // ---- lists and cases ----

  /** Keeps a list loaded and current while the returned function is not called. */
  wantList(scope: CaseListScope): () => void {
    this.wanted.set(scope, (this.wanted.get(scope) ?? 0) + 1);
    if (this.state.lists[scope].ids === null) void this.loadList(scope);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.wanted.set(scope, (this.wanted.get(scope) ?? 1) - 1);
    };
  }

  /** Keeps a case in `cases` (fetching it if needed) while the returned function is not called. */
  watchCase(caseId: string): () => void {
    this.watched.set(caseId, (this.watched.get(caseId) ?? 0) + 1);
    if (!this.state.cases.has(caseId)) void this.fetchCases([caseId]);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.watched.get(caseId) ?? 1) - 1;
      if (left > 0) this.watched.set(caseId, left);
      else {
        this.watched.delete(caseId);
        this.set({ cases: this.collect(this.state.cases, this.state.lists) });
      }
    };
  }

  /** A case as a call just returned it (a create, a step): placed at once; the event that follows confirms it. */
  upsert(view: CaseView): void {
    this.apply([view], []);
  }

  private async loadList(scope: CaseListScope): Promise<void> {
    const request = ++this.listRequest[scope];
    const res = await this.api.invoke('cases.list', { scope, limit: this.listLimit });
    if (request !== this.listRequest[scope]) return; // a newer load, or another user
    const list = this.state.lists[scope];
    if (!res.ok) {
      this.set({ lists: { ...this.state.lists, [scope]: { ...list, error: res.error } } });
      return;
    }
    const cases = new Map(this.state.cases);
    for (const c of res.value) cases.set(c.id, c);
    const ids = res.value.map((c) => c.id);
    const lists = { ...this.state.lists, [scope]: { ids: sameIds(list.ids, ids) ? list.ids : ids, complete: ids.length < this.listLimit, error: null } };
    this.set({ lists, cases: this.collect(cases, lists) });
  }

  private async casesChanged(ids: readonly string[]): Promise<void> {
    if (this.state.session.kind !== 'in' || ids.length === 0) return;
    if (ids.length > GET_MANY_MAX) {
      this.reloadAll();
      return;
    }
    await this.fetchCases(ids);
  }

  private async fetchCases(ids: readonly string[]): Promise<void> {
    const generation = this.generation;
    const res = await this.api.invoke('cases.getMany', { ids: [...ids] });
    if (generation !== this.generation) return;
    if (res.ok) {
      this.apply(res.value.cases, res.value.missing);
      return;
    }
    // Not a set of cases we can place (a malformed id, a lost bridge): start over from the core.
    const caseErrors = new Map(this.state.caseErrors);
    for (const id of ids) if (this.watched.has(id)) caseErrors.set(id, res.error);
    this.set({ caseErrors });
    this.reloadAll();
  }

  private reloadAll(): void {
    const lists = { ...this.state.lists };
    for (const scope of ALL_SCOPES) {
      if (this.wanted.get(scope)) void this.loadList(scope);
      else if (lists[scope].ids !== null) lists[scope] = NO_LIST;
    }
    this.set({ lists, cases: this.collect(this.state.cases, lists) });
    const watched = [...this.watched.keys()].filter((id) => !this.state.caseErrors.has(id));
    if (watched.length > 0 && watched.length <= GET_MANY_MAX) void this.fetchCases(watched);
  }

  /** Cases as the core has them now (`missing`: no longer on this workstation): rows replaced, lists updated in place. */
  private apply(found: readonly CaseView[], missing: readonly string[]): void {
    const cases = new Map(this.state.cases);
    const caseErrors = new Map(this.state.caseErrors);
    const changed = new Set<string>();
    for (const c of found) {
      cases.set(c.id, c);
      caseErrors.delete(c.id);
      changed.add(c.id);
    }
    for (const id of missing) {
      cases.delete(id);
      changed.add(id);
      if (this.watched.has(id)) caseErrors.set(id, { code: 'not_found', message: `case ${id} is not on this workstation` });
    }
    const me = this.me();
    const lists = { ...this.state.lists };
    const reload: CaseListScope[] = [];
    for (const scope of ALL_SCOPES) {
      const list = lists[scope];
      if (list.ids === null) continue;
      const updated = me ? updateList(scope, { ids: list.ids, complete: list.complete }, changed, (id) => cases.get(id), me, this.listLimit, this.state.reference.sla) : null;
      if (updated) {
        if (!sameIds(list.ids, updated.ids) || list.complete !== updated.complete) lists[scope] = { ...list, ids: updated.ids, complete: updated.complete };
      } else if (this.wanted.get(scope)) {
        // Shown until the core's answer replaces it, without the cases that are gone.
        lists[scope] = { ...list, ids: list.ids.filter((id) => cases.has(id)) };
        reload.push(scope);
      } else {
        lists[scope] = NO_LIST;
      }
    }
    this.set({ cases: this.collect(cases, lists), caseErrors, lists });
    for (const scope of reload) void this.loadList(scope);
  }

  /** Only the cases a list holds or a view watches are kept. */
  private collect(cases: Map<string, CaseView> | ReadonlyMap<string, CaseView>, lists: Readonly<Record<CaseListScope, ListState>>): ReadonlyMap<string, CaseView> {
    const keep = new Set(this.watched.keys());
    for (const scope of ALL_SCOPES) for (const id of lists[scope].ids ?? []) keep.add(id);
    if ([...cases.keys()].every((id) => keep.has(id))) return cases;
    return new Map([...cases].filter(([id]) => keep.has(id)));
  }

  private set(patch: Partial<StoreState>): void {
    this.state = { ...this.state, ...patch };
    this.emit();
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}
