import { z } from 'zod';
import { DistrictCode, StreetCode, UnitId } from './common';

/** district_gov: 区政府; street_office: 街道办事处 / 乡镇政府 / 地区办事处 / 开发区管委会; bureau: municipal commission or bureau; company: public-service company. */
export const UnitKind = z.enum(['district_gov', 'street_office', 'bureau', 'company']);
export type UnitKind = z.infer<typeof UnitKind>;

/** What a unit answers for. Empty `districts` and `streets` = the whole city; empty `categories` = any category. */
export const UnitCoverage = z.object({
  districts: z.array(DistrictCode),
  streets: z.array(StreetCode),
  categories: z.array(z.string().min(1)),
});
export type UnitCoverage = z.infer<typeof UnitCoverage>;

export const Unit = z
  .object({
    id: UnitId,
    kind: UnitKind,
    nameZh: z.string().min(1),
    nameEn: z.string().min(1),
    /** Home district of district governments and street offices; null for city-wide units. */
    districtCode: DistrictCode.nullable(),
    /** The street/township a street office runs; null otherwise. */
    streetCode: StreetCode.nullable(),
    covers: UnitCoverage,
    /**
     * Public identifier of the unit's API key for the unit API. No secret is kept in the repo: at
     * seeding the server generates a random key for every apiKeyId that has none yet, stores only
     * its hash, and hands the secret out of band (an admin command; the simulator in dev/tests).
     */
    apiKeyId: z.string().regex(/^uk_[a-z0-9_]+$/, 'api_key_id_format'),
  })
  .superRefine((u, ctx) => {
    if (u.kind === 'district_gov' && (u.districtCode === null || u.streetCode !== null))
      ctx.addIssue({ code: 'custom', message: 'district_gov_needs_district_only', path: ['districtCode'] });
    if (u.kind === 'street_office' && (u.districtCode === null || u.streetCode === null || !u.streetCode.startsWith(u.districtCode)))
      ctx.addIssue({ code: 'custom', message: 'street_office_needs_its_street_and_district', path: ['streetCode'] });
    if ((u.kind === 'bureau' || u.kind === 'company') && u.streetCode !== null)
      ctx.addIssue({ code: 'custom', message: 'city_unit_has_no_street', path: ['streetCode'] });
  });
export type Unit = z.infer<typeof Unit>;

export const UnitsFile = z.object({
  $comment: z.string().optional(),
  units: z.array(Unit),
});
export type UnitsFile = z.infer<typeof UnitsFile>;

/** Lookups routing needs: by id, the office of a street, the government of a district. */
export class UnitDirectory {
  private readonly byId = new Map<string, Unit>();
  private readonly byStreet = new Map<string, Unit>();
  private readonly byDistrict = new Map<string, Unit>();

  constructor(units: readonly Unit[]) {
    for (const u of units) {
      this.byId.set(u.id, u);
      if (u.kind === 'street_office' && u.streetCode !== null) this.byStreet.set(u.streetCode, u);
      if (u.kind === 'district_gov' && u.districtCode !== null) this.byDistrict.set(u.districtCode, u);
    }
  }

  get(id: string): Unit | undefined {
    return this.byId.get(id);
  }

  streetOffice(streetCode: string): Unit | undefined {
    return this.byStreet.get(streetCode);
  }

  districtGovernment(districtCode: string): Unit | undefined {
    return this.byDistrict.get(districtCode);
  }
}
