import { z } from 'zod';
import { RatesGroupBy } from '../domain/rates';

/** `GET /api/rates`: the three rates over a period, for shift leads and admins (docs/rates.md). */
export const RATES_API_PATH = '/api/rates';

/** Longest period one request may cover: the server reads every event of the cases in it. */
export const MAX_RATES_SPAN_DAYS = 92;
const MAX_SPAN_MS = MAX_RATES_SPAN_DAYS * 24 * 3_600_000;

const Instant = z.number().int().min(0).max(8.64e15);

/** What a caller asks for, times as epoch ms; the period is half-open [from, to). */
export const RatesRequest = z
  .object({
    from: Instant,
    to: Instant,
    groupBy: RatesGroupBy.default('unit'),
    unitId: z.string().trim().min(1).max(80).optional(),
    districtCode: z.string().trim().regex(/^[0-9]{6}$/, 'district_code_format').optional(),
  })
  .strict()
  .refine((r) => r.to > r.from, { error: 'to_not_after_from', path: ['to'] })
  .refine((r) => r.to - r.from <= MAX_SPAN_MS, { error: 'period_too_long', path: ['to'] });
export type RatesRequest = z.infer<typeof RatesRequest>;
export type RatesRequestInput = z.input<typeof RatesRequest>;

/** An instant in a query string: epoch ms, or an ISO 8601 date-time with Z or an offset (never a bare date: whose midnight?). */
const QueryInstant = z.union([
  z
    .string()
    .regex(/^[0-9]{1,16}$/)
    .transform(Number),
  z.iso.datetime({ offset: true }).transform((s) => Date.parse(s)),
], { error: 'expected epoch ms or an ISO 8601 date-time with Z or an offset' });

/** The query string of `GET /api/rates` (each parameter at most once), parsed into a RatesRequest. */
export const RatesHttpQuery = z
  .object({
    from: QueryInstant,
    to: QueryInstant,
    groupBy: RatesGroupBy.optional(),
    unitId: z.string().optional(),
    districtCode: z.string().optional(),
  })
  .strict()
  .pipe(RatesRequest);

/** The query string for a request (what the workstation core sends). */
export function ratesQueryString(r: RatesRequest): string {
  const params = new URLSearchParams({ from: String(r.from), to: String(r.to), groupBy: r.groupBy });
  if (r.unitId !== undefined) params.set('unitId', r.unitId);
  if (r.districtCode !== undefined) params.set('districtCode', r.districtCode);
  return params.toString();
}
