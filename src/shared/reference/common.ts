import { z } from 'zod';

/** Official statistical division codes (GB/T 2260 + NBS township/village extension). */
export const DistrictCode = z.string().regex(/^\d{6}$/, 'district_code_format');
export const StreetCode = z.string().regex(/^\d{9}$/, 'street_code_format');
export const CommunityCode = z.string().regex(/^\d{12}$/, 'community_code_format');

/** A text in both UI languages. */
export const Bilingual = z.object({ zh: z.string().min(1), en: z.string().min(1) });
export type Bilingual = z.infer<typeof Bilingual>;

/** Unit ids are dotted lower-case words: `district.110105`, `street.110105001`, `bureau.hrss`. */
export const UnitId = z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/, 'unit_id_format');
