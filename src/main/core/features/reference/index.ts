import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';
import type { LocalDb } from '../../store/db';
import { OfflineReference } from './offline-reference';
import { listCategories } from './categories-store';

export { getCategory, listCategories } from './categories-store';
export { getUser } from './users-store';
export type { OfflineReference } from './offline-reference';

/** The reference data this workstation holds, built once per store (each data space has its own). */
export class ReferenceService {
  private readonly built = new WeakMap<LocalDb, OfflineReference>();

  constructor(private readonly ctx: CoreContext) {}

  /** The units, routing, SLA and geography of the session's store. */
  now(): OfflineReference {
    const db = this.ctx.store();
    let ref = this.built.get(db);
    if (!ref) {
      ref = new OfflineReference(db);
      this.built.set(db, ref);
    }
    return ref;
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
