import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';
import type { LocalDb } from '../../store/db';
import { OfflineReference } from './offline-reference';
import { listCategories } from './categories-store';
import { listUsers } from './users-store';
import type { PlaceInfo } from '../../../../shared/contract/contract';
import type { GeographyIndex } from '../../../../shared/reference/address';
import type { Landmark } from '../../../../shared/reference/geography';

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

/** A place of the geography as intake shows it (its path from the district down). */
export function placeInfo(geo: GeographyIndex, code: string): PlaceInfo | null {
  const place = geo.community(code) ?? geo.street(code) ?? geo.district(code);
  if (!place) return null;
  const district = geo.district(place.districtCode);
  const street = place.streetCode ? geo.street(place.streetCode) : undefined;
  const path = [district?.nameZh, place.level !== 'district' ? street?.nameZh : undefined, place.level === 'community' ? place.nameZh : undefined];
  return {
    level: place.level,
    code: place.code,
    nameZh: place.nameZh,
    pathZh: path.filter((p): p is string => p !== undefined).join(' › '),
    districtCode: place.districtCode,
    streetCode: place.streetCode,
  };
}

/** A landmark or road of the curated list as a place in its street (its name last on the path). */
function landmarkInfo(geo: GeographyIndex, l: Landmark): PlaceInfo | null {
  const street = placeInfo(geo, l.streetCode);
  return street ? { ...street, nameZh: l.nameZh, pathZh: `${street.pathZh} › ${l.nameZh}`, landmark: l.kind } : null;
}

/**
 * Places whose name contains the text (a landmark or road: its name or another it goes by):
 * districts, then streets, then landmarks and roads, then communities, shorter names first; for
 * address completion.
 */
function findPlaces(geo: GeographyIndex, q: string, limit: number): PlaceInfo[] {
  const text = q.replace(/\s+/g, '');
  if (text.length === 0) return [];
  const hits: { rank: number; place: () => PlaceInfo | null }[] = [];
  const at = (code: string) => () => placeInfo(geo, code);
  for (const d of geo.geography.districts) {
    if (d.nameZh.includes(text)) hits.push({ rank: d.nameZh.length, place: at(d.code) });
    for (const st of d.streets) {
      if (st.nameZh.includes(text)) hits.push({ rank: 100 + st.nameZh.length, place: at(st.code) });
      for (const [code, name] of st.communities) if (name.includes(text)) hits.push({ rank: 300 + name.length, place: at(code) });
    }
  }
  for (const l of geo.geography.landmarks) {
    const names = [l.nameZh, ...l.aliases].filter((n) => n.toLowerCase().includes(text.toLowerCase()));
    if (names.length > 0) hits.push({ rank: 200 + Math.min(...names.map((n) => n.length)), place: () => landmarkInfo(geo, l) });
  }
  return hits
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit)
    .map((h) => h.place())
    .filter((p): p is PlaceInfo => p !== null);
}

/** reference.*: categories, units and the SLA policy, from the local cache (offline too). */
export function referenceFeature(ctx: CoreContext, reference: ReferenceService): Feature {
  return {
    name: 'reference',
    handlers: {
      'reference.units': () => reference.now().unitList().map((u) => ({ id: u.id, kind: u.kind, nameZh: u.nameZh, nameEn: u.nameEn })),
      'reference.sla': () => reference.now().slaPolicy(),
      'reference.users': () => {
        ctx.requireAccount();
        return listUsers(ctx.store());
      },
      'reference.categories': () => listCategories(ctx.store()),
      'reference.places': (input) => {
        const geo = reference.now().geographyIndex();
        return geo ? findPlaces(geo, input.q, input.limit) : [];
      },
    },
  };
}
