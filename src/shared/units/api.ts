import { z } from 'zod';
import { CaseReply, CaseStatus } from '../domain/case';
import { STEP_SCHEMAS } from '../domain/lifecycle';
import { IntakeAnswers } from '../reference/intake';
import { CallerLanguage, ContactType, TimeWindow, Urgency } from '../domain/contact';

/** Base path of the unit API: responding units sign for, return and reply to their cases here. */
export const UNIT_API_BASE = '/api/units/v1';

/** A case as its responding unit sees it: what it needs to act, nothing about hotline staff. */
export const UnitCase = z.object({
  id: z.uuid(),
  number: z.string(),
  status: CaseStatus,
  rev: z.number().int().positive(),
  categoryCode: z.string(),
  address: z.string(),
  description: z.string(),
  /** The citizen's name; null when the caller is anonymous or the case is confidential. */
  callerName: z.string().nullable(),
  /**
   * The number the unit calls the citizen back on (the callback number when one was given; the
   * response rate counts that contact); null when there is none or the case is confidential.
   */
  callerPhone: z.string().nullable(),
  /** When the citizen wants to be called (local time of day), if they said. */
  callbackWindow: TimeWindow.nullable(),
  contactType: ContactType,
  urgency: Urgency,
  /** The citizen's language; `interpreter`: the hotline's interpreter service is needed to talk to them. */
  language: CallerLanguage,
  interpreter: z.boolean(),
  /** A report whose caller the unit never learns (a report against an employer or an official). */
  confidential: z.boolean(),
  /** The answers to the category's intake questions. */
  answers: IntakeAnswers,
  districtCode: z.string().nullable(),
  streetCode: z.string().nullable(),
  dispatchedAt: z.number().int().nullable(),
  signBy: z.number().int().nullable(),
  replyBy: z.number().int().nullable(),
  acceptedAt: z.number().int().nullable(),
  repliedAt: z.number().int().nullable(),
  reply: CaseReply.nullable(),
  /** Deadline states at the time of the response. */
  signState: z.enum(['done', 'on_time', 'at_risk', 'overdue']),
  replyState: z.enum(['done', 'on_time', 'at_risk', 'overdue']),
});
export type UnitCase = z.infer<typeof UnitCase>;

export const UnitCaseList = z.object({ unitId: z.string(), cases: z.array(UnitCase) });
export type UnitCaseList = z.infer<typeof UnitCaseList>;

/** Bodies of the unit's steps; `expectedRev`, when given, makes the step fail if the case moved on. */
const Intent = z.object({ expectedRev: z.number().int().positive().optional() });
export const UnitStepBodies = {
  accept: Intent.strict(),
  return: STEP_SCHEMAS.return.omit({ action: true }).extend(Intent.shape).strict(),
  reply: STEP_SCHEMAS.reply.omit({ action: true }).extend(Intent.shape).strict(),
} as const;
export type UnitStepName = keyof typeof UnitStepBodies;
export const UnitStepName = z.enum(['accept', 'return', 'reply']);

export const UnitStepResponse = z.object({ case: UnitCase });
