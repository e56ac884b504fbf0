import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';
import type { LocalDb } from '../../store/db';
import { OfflineReference } from './offline-reference';
import { listCategories } from './categories-store';

export { getCategory, listCategories } from './categories-store';
export { getUser } from './users-store';
export type { OfflineReference } from './offline-reference';

const built = new WeakMap<LocalDb, OfflineReference>();

/** The units, routing, SLA and geography a store holds, built once per store (each data space has its own). */
export function offlineReference(db: LocalDb): OfflineReference {
  let ref = built.get(db);
  if (!ref) {
    ref = new OfflineReference(db);
    built.set(db, ref);
  }
  return ref;
}

/** The reference data of the session's store. */
export class ReferenceService {
  constructor(private readonly ctx: CoreContext) {}

  now(): OfflineReference {
    return offlineReference(this.ctx.store());
  }
}

/** reference.*: categories, units and the SLA policy, from the local cache (offline too). */
export function referenceFeature(ctx: CoreContext, reference: ReferenceService): Feature {
  return {
    name: 'reference',
    handlers: {
      'reference.units': () => reference.now().unitList().map((u) => ({ id: u.id, kind: u.kind, nameZh: u.nameZh, nameEn: u.nameEn })),
      'reference.sla': () => reference.now().slaPolicy(),
      'reference.categories': () => listCategories(ctx.store()),
    },
  };
}
