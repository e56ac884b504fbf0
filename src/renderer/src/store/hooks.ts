import { useCallback, useEffect, useSyncExternalStore } from 'react';
import type { CaseListScope, Rejection, SyncProgress, SyncStatus } from '../../../shared/contract/contract';
import type { CaseView } from '../../../shared/domain/case';
import type { AppError } from '../../../shared/result';
import type { CategoryTree } from './categories';
import { store } from './index';
import type { ListState, Reference, SessionState, StoreState } from './store';

/** A slice of the store; re-renders when that slice (compared by identity) changes. */
export function useStore<T>(select: (state: StoreState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()));
}

/** Runs the store (its event listeners) while the app is mounted. */
export function useStoreRunning(): void {
  useEffect(() => store.start(), []);
}

export function useSession(): SessionState {
  return useStore((s) => s.session);
}

export function useSyncStatus(): SyncStatus | null {
  return useStore((s) => s.sync);
}

export function useSyncProgress(): SyncProgress | null {
  return useStore((s) => s.progress);
}

export function useCategories(): { tree: CategoryTree; error: AppError | null } {
  const tree = useStore((s) => s.categories);
  const error = useStore((s) => s.categoriesError);
  return { tree, error };
}

export function useRejections(): { rejections: readonly Rejection[]; dismiss: (mutationId: string) => void; redo: (mutationId: string) => void } {
  const rejections = useStore((s) => s.rejections);
  const dismiss = useCallback((mutationId: string) => store.dismissRejection(mutationId), []);
  const redo = useCallback((mutationId: string) => store.redoRejection(mutationId), []);
  return { rejections, dismiss, redo };
}

/** Units and the SLA policy of the workstation's reference cache. */
export function useReference(): Reference {
  return useStore((s) => s.reference);
}

/** One list's ordered ids (null until loaded), kept loaded and current while mounted. */
export function useCaseList(scope: CaseListScope): ListState {
  useEffect(() => store.wantList(scope), [scope]);
  return useStore((s) => s.lists[scope]);
}

/** One case as the store holds it; a row re-renders only when its own case changes. */
export function useCaseRow(caseId: string): CaseView | undefined {
  return useStore((s) => s.cases.get(caseId));
}

/** One case, fetched if needed and kept current while mounted. */
export function useCase(caseId: string): { view: CaseView | null; error: AppError | null } {
  useEffect(() => store.watchCase(caseId), [caseId]);
  const view = useStore((s) => s.cases.get(caseId)) ?? null;
  const error = useStore((s) => s.caseErrors.get(caseId)) ?? null;
  return { view, error: view ? null : error };
}
