import { z } from 'zod';
import { CommunityCode, DistrictCode, StreetCode } from './common';

/**
 * Township-level kinds: 街道 subdistrict, 地区 area (a township run by a street-style office),
 * 镇 town, 乡 township (incl. ethnic townships), and special zones (开发区, airport) that the
 * statistics office lists at township level.
 */
export const StreetKind = z.enum(['subdistrict', 'area', 'town', 'township', 'zone']);
export type StreetKind = z.infer<typeof StreetKind>;

/** `[code, nameZh]`: a tuple, not an object, because there are ~7,000 of them and the file is synced. */
export const Community = z.tuple([CommunityCode, z.string().min(1)]);
export type Community = z.infer<typeof Community>;

export const Street = z.object({
  code: StreetCode,
  nameZh: z.string().min(1),
  nameEn: z.string().min(1).nullable(),
  kind: StreetKind,
  communities: z.array(Community),
});
export type Street = z.infer<typeof Street>;

export const District = z.object({
  code: DistrictCode,
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  streets: z.array(Street),
});
export type District = z.infer<typeof District>;

export const GeographySource = z.object({
  name: z.string(),
  package: z.string(),
  version: z.string(),
  dataset: z.string(),
  licence: z.string(),
});

/**
 * A landmark or road callers name instead of a street (望京SOHO, 国贸, 中关村大街), placed in the
 * street/township it lies in (a road: where most of it and most addresses on it are). Hand-curated
 * (resources/geography/landmarks.json), merged into the geography at load.
 */
export const Landmark = z.object({
  nameZh: z.string().min(2),
  nameEn: z.string().min(1),
  kind: z.enum(['landmark', 'road']),
  streetCode: StreetCode,
  /** Other names callers use for it (国贸大厦, 鸟巢). */
  aliases: z.array(z.string().min(2)).default([]),
});
export type Landmark = z.infer<typeof Landmark>;

export const LandmarksFile = z.object({ $comment: z.string().optional(), landmarks: z.array(Landmark) });

export const Geography = z.object({
  $comment: z.string().optional(),
  source: GeographySource,
  city: z.object({ code: z.string(), nameZh: z.string(), nameEn: z.string() }),
  districts: z.array(District),
  landmarks: z.array(Landmark).default([]),
});
export type Geography = z.infer<typeof Geography>;

/** Counts for reports and tests. */
export function geographyCounts(geo: Geography): { districts: number; streets: number; communities: number } {
  let streets = 0;
  let communities = 0;
  for (const d of geo.districts) {
    streets += d.streets.length;
    for (const s of d.streets) communities += s.communities.length;
  }
  return { districts: geo.districts.length, streets, communities };
}
