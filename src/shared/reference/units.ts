import { z } from 'zod';
import { DistrictCode, StreetCode, UnitId } from './common';

/**
 * district_gov: 区政府; district_dept: a district's department (区城管执法局, 区住建委 …);
 * street_office: 街道办事处 / 乡镇政府 / 地区办事处 / 开发区管委会; bureau: municipal commission or
 * bureau; company: public-service company.
 */
export const UnitKind = z.enum(['district_gov', 'district_dept', 'street_office', 'bureau', 'company']);
export type UnitKind = z.infer<typeof UnitKind>;

/**
 * The departments every district has that the hotline dispatches non-territorial matters to
 * (routing's `{districtDepartment}` target): urban-management enforcement, housing and
 * construction, market regulation, ecology and environment, human resources and social security,
 * the traffic police detachment, education, health, civil affairs.
 */
export const DistrictDepartment = z.enum(['urban_enforcement', 'housing', 'market', 'ecology', 'hrss', 'traffic_police', 'education', 'health', 'civil_affairs']);
export type DistrictDepartment = z.infer<typeof DistrictDepartment>;

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
    /** Which of its district's departments a district_dept is; absent for every other kind. */
    department: DistrictDepartment.optional(),
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
    if (u.kind === 'district_dept' && (u.districtCode === null || u.streetCode !== null || u.department === undefined))
      ctx.addIssue({ code: 'custom', message: 'district_dept_needs_district_and_department', path: ['department'] });
    if (u.kind !== 'district_dept' && u.department !== undefined) ctx.addIssue({ code: 'custom', message: 'department_only_for_district_dept', path: ['department'] });
    if ((u.kind === 'bureau' || u.kind === 'company') && u.streetCode !== null)
      ctx.addIssue({ code: 'custom', message: 'city_unit_has_no_street', path: ['streetCode'] });
  });
export type Unit = z.infer<typeof Unit>;

export const UnitsFile = z.object({
  $comment: z.string().optional(),
  units: z.array(Unit),
});
export type UnitsFile = z.infer<typeof UnitsFile>;

/** Lookups routing needs: by id, the office of a street, the government and the departments of a district. */
export class UnitDirectory {
  private readonly byId = new Map<string, Unit>();
  private readonly byStreet = new Map<string, Unit>();
  private readonly byDistrict = new Map<string, Unit>();
  private readonly byDepartment = new Map<string, Unit>();

  constructor(units: readonly Unit[]) {
    for (const u of units) {
      this.byId.set(u.id, u);
      if (u.kind === 'street_office' && u.streetCode !== null) this.byStreet.set(u.streetCode, u);
      if (u.kind === 'district_gov' && u.districtCode !== null) this.byDistrict.set(u.districtCode, u);
      if (u.kind === 'district_dept' && u.districtCode !== null && u.department !== undefined) this.byDepartment.set(`${u.districtCode}:${u.department}`, u);
    }
  }

  /** The district's department of that kind (区城管执法局 of 朝阳区 …). */
  districtDepartment(districtCode: string, department: DistrictDepartment): Unit | undefined {
    return this.byDepartment.get(`${districtCode}:${department}`);
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
