import type { ExtendedCategory as Category } from '../../../shared/reference/categories';

export interface CategoryTree {
  all: Category[];
  byCode: ReadonlyMap<string, Category>;
  /** Parents in server order, each with the leaves an operator may pick. */
  groups: { parent: Category; leaves: Category[] }[];
}

export const EMPTY_TREE: CategoryTree = { all: [], byCode: new Map(), groups: [] };

export function buildTree(all: Category[]): CategoryTree {
  const byCode = new Map(all.map((c) => [c.code, c]));
  const groups = all
    .filter((c) => c.parent === null)
    .map((parent) => ({ parent, leaves: all.filter((c) => c.parent === parent.code) }))
    .filter((g) => g.leaves.length > 0);
  return { all, byCode, groups };
}
