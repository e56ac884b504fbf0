import type { LocalDb } from '../../store/db';
import { getConfirmed } from '../../store/confirmed';
import { listCategories } from './categories-store';
import { RefDoc } from '../../../../shared/sync/entities';
import { UnitsFile, type Unit } from '../../../../shared/reference/units';
import { RoutingFile, Router } from '../../../../shared/reference/routing';
import { Geography } from '../../../../shared/reference/geography';
import { GeographyIndex } from '../../../../shared/reference/address';
import { SlaPolicy } from '../../../../shared/reference/sla';

interface Built<T> {
  hash: string;
  value: T;
}

/**
 * The reference documents this workstation has pulled (units, routing, SLA, geography), parsed
 * once per content hash, so dispatch suggestions and address resolution work offline. Empty until
 * the first pull brings them.
 */
export class OfflineReference {
  private units: Built<Unit[]> | undefined;
  private routing: Built<RoutingFile> | undefined;
  private geography: Built<GeographyIndex> | undefined;
  private sla: Built<SlaPolicy> | undefined;
  private router: { key: string; value: Router } | undefined;

  constructor(private readonly db: LocalDb) {}

  private doc(name: string): RefDoc | undefined {
    const raw = getConfirmed(this.db, 'refdoc', name);
    return raw === undefined ? undefined : RefDoc.parse(raw);
  }

  private build<T>(name: string, cached: Built<T> | undefined, make: (content: unknown) => T): Built<T> | undefined {
    const doc = this.doc(name);
    if (!doc) return undefined;
    if (cached?.hash === doc.hash) return cached;
    return { hash: doc.hash, value: make(doc.content) };
  }

  unitList(): Unit[] {
    this.units = this.build('units', this.units, (c) => UnitsFile.parse(c).units);
    return this.units?.value ?? [];
  }

  slaPolicy(): SlaPolicy | null {
    this.sla = this.build('sla', this.sla, (c) => SlaPolicy.parse(c));
    return this.sla?.value ?? null;
  }

  geographyIndex(): GeographyIndex | null {
    this.geography = this.build('geography', this.geography, (c) => new GeographyIndex(Geography.parse(c)));
    return this.geography?.value ?? null;
  }

  /** The router over the current units, routing rules and categories; null before the first pull. */
  routerNow(): Router | null {
    this.routing = this.build('routing', this.routing, (c) => RoutingFile.parse(c));
    const units = this.unitList();
    if (!this.routing || units.length === 0) return null;
    const categories = listCategories(this.db);
    const key = `${this.routing.hash}:${this.units?.hash ?? ''}:${categories.map((c) => `${c.code}>${c.parent ?? ''}`).join(',')}`;
    if (this.router?.key !== key) this.router = { key, value: new Router(this.routing.value, units, categories) };
    return this.router.value;
  }
}
