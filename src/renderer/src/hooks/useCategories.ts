import { useEffect, useState } from 'react';
import type { ExtendedCategory as Category } from '../../../shared/reference/categories';
import type { AppError } from '../../../shared/result';
import { api } from '../api/client';

export interface CategoryTree {
  all: Category[];
  byCode: ReadonlyMap<string, Category>;
  /** Parents in server order, each with the leaves an operator may pick. */
  groups: { parent: Category; leaves: Category[] }[];
}

const EMPTY: CategoryTree = { all: [], byCode: new Map(), groups: [] };

function buildTree(all: Category[]): CategoryTree {
  const byCode = new Map(all.map((c) => [c.code, c]));
  const groups = all
    .filter((c) => c.parent === null)
    .map((parent) => ({ parent, leaves: all.filter((c) => c.parent === parent.code) }))
    .filter((g) => g.leaves.length > 0);
  return { all, byCode, groups };
}

/** Reference categories from the local cache, reloaded after each completed pull. */
export function useCategories(): { tree: CategoryTree; error: AppError | null } {
  const [tree, setTree] = useState<CategoryTree>(EMPTY);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    let active = true;
    let loadedJson = '';
    let seenSyncAt: number | null = null;
    const load = () =>
      void api.invoke('reference.categories', {}).then((res) => {
        if (!active) return;
        if (!res.ok) {
          setError(res.error);
          return;
        }
        setError(null);
        const json = JSON.stringify(res.value);
        if (json === loadedJson) return;
        loadedJson = json;
        setTree(buildTree(res.value));
      });
    load();
    // A pull may bring reference data (the very first one after login always does): reload after each.
    const off = api.on('sync.status', (status) => {
      if (status.lastSyncAt === null || status.lastSyncAt === seenSyncAt) return;
      seenSyncAt = status.lastSyncAt;
      load();
    });
    return () => {
      active = false;
      off();
    };
  }, []);
  return { tree, error };
}
