import { z } from 'zod';

/** Statuses of DESIGN.md's lifecycle; only `registered` is produced by the foundation. */
export const CaseStatus = z.enum([
  'registered',
  'answered',
  'dispatched',
  'accepted',
  'returned',
  'replied',
  'evaluated',
  'closed',
  'reopened',
  'merged',
]);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const Channel = z.enum(['phone', 'open311', 'web']);
export type Channel = z.infer<typeof Channel>;

/** Mainland numbers (11-digit mobiles, landlines with area code, extensions) and short service numbers. */
export const PhoneNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 -]{3,22}[0-9]$/, 'phone_format');

export const CaseNumber = z.string().regex(/^S[0-9]{4}-[0-9]{6,9}$/, 'case_number_format');
export const StationCode = z.string().regex(/^S[0-9]{4}$/, 'station_code_format');

/** What the operator types at intake. */
export const CaseDraft = z.object({
  callerPhone: PhoneNumber,
  callerName: z.string().trim().max(50).default(''),
  categoryCode: z.string().trim().min(1, 'required').max(40),
  address: z.string().trim().min(2, 'too_short').max(200, 'too_long'),
  description: z.string().trim().min(5, 'too_short').max(4000, 'too_long'),
});
export type CaseDraft = z.infer<typeof CaseDraft>;
export type CaseDraftInput = z.input<typeof CaseDraft>;

/** A case as the server confirms it and as workstations cache it. */
export const CaseRecord = z.object({
  id: z.uuid(),
  number: CaseNumber,
  status: CaseStatus,
  channel: Channel,
  callerPhone: z.string(),
  callerName: z.string(),
  categoryCode: z.string(),
  address: z.string(),
  description: z.string(),
  createdBy: z.string(),
  team: z.string(),
  station: StationCode,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  /** The operator or lead who holds the case now (null: nobody yet). */
  assignee: z.string().nullable(),
  /** Revision: 1 at registration, +1 with every change the server applies; intent checks compare it. */
  rev: z.number().int().positive(),
});
export type CaseRecord = z.infer<typeof CaseRecord>;

/** A case as the renderer sees it: the record plus whether local changes are still unconfirmed. */
export const CaseView = CaseRecord.extend({
  pending: z.boolean(),
});
export type CaseView = z.infer<typeof CaseView>;

export function formatCaseNumber(station: string, seq: number): string {
  return `${station}-${String(seq).padStart(6, '0')}`;
}
