import { z } from 'zod';
import { IntakeAnswers } from '../reference/intake';
import { CallerLanguage, ContactType, normalizePhone, TimeWindow, Urgency } from './contact';

/** Statuses of the case lifecycle (docs/lifecycle.md); `lifecycle.ts` holds the transitions between them. */
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

/**
 * Mainland numbers (11-digit mobiles, landlines with area code, extensions) and short service
 * numbers; typed in any input mode (full-width digits, dots and brackets are normalised first).
 */
export const PhoneNumber = z
  .string()
  .overwrite(normalizePhone)
  .regex(/^\+?[0-9][0-9 -]{3,22}[0-9]$/, 'phone_format');

/** `S0001-000042`; practice cases `T0001-000042` (see `numberPrefix`). */
export const CaseNumber = z.string().regex(/^[ST][0-9]{4}-[0-9]{6,9}$/, 'case_number_format');
export const StationCode = z.string().regex(/^S[0-9]{4}$/, 'station_code_format');

/** The longest description a case keeps (the intake form says what a longer paste lost). */
export const DESCRIPTION_MAX = 4000;

/**
 * What the operator types at intake. The defaults are the common call, which then costs no keys:
 * a complaint, normal urgency, in Chinese, a caller who gives their name and may be called back.
 */
export const CaseDraft = z.object({
  /** The calling number; empty only for an anonymous caller who withheld it (checked at intake). */
  callerPhone: PhoneNumber.or(z.literal('')),
  callerName: z.string().trim().max(50).default(''),
  categoryCode: z.string().trim().min(1, 'required').max(40),
  address: z.string().trim().min(2, 'too_short').max(200, 'too_long'),
  // Two characters make a complaint in Chinese (漏水: a leak); 路灯不亮 is a whole sentence.
  description: z.string().trim().min(2, 'too_short').max(DESCRIPTION_MAX, 'too_long'),
  /** Answers to the category's intake questions (checked against them by the workstation). */
  answers: IntakeAnswers.default({}),
  contactType: ContactType.default('complaint'),
  urgency: Urgency.default('normal'),
  language: CallerLanguage.default('zh'),
  /** The call needs (or needed) an interpreter; the callback too. */
  interpreter: z.boolean().default(false),
  /** The caller gives no name (and no callback unless a number is given). */
  anonymous: z.boolean().default(false),
  /** A report against an employer or an official: the caller's identity never reaches the unit or the public. */
  confidential: z.boolean().default(false),
  /** The number to call back when it is not the calling number. */
  callbackPhone: PhoneNumber.nullable().default(null),
  /** When the citizen wants to be called back (local time of day). */
  callbackWindow: TimeWindow.nullable().default(null),
});
export type CaseDraft = z.infer<typeof CaseDraft>;
export type CaseDraftInput = z.input<typeof CaseDraft>;

export const ReplyOutcome = z.enum(['resolved', 'explained', 'unresolvable']);
export type ReplyOutcome = z.infer<typeof ReplyOutcome>;

export const Satisfaction = z.enum(['satisfied', 'basically', 'unsatisfied']);
export type Satisfaction = z.infer<typeof Satisfaction>;

/** One entry of a case's timeline: who did what, when, from which workstation (or unit). */
export const TimelineEvent = z.object({
  at: z.number().int(),
  /** A lifecycle action, or `registered`, `reassigned`, `absorbed` (a duplicate was merged into this case). */
  kind: z.string().min(1).max(40),
  /** A user id, a unit id, or a system actor such as `open311`. */
  actor: z.string(),
  actorKind: z.enum(['staff', 'unit', 'system']),
  /** The workstation's station code; for a unit, its id. */
  station: z.string().nullable(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type TimelineEvent = z.infer<typeof TimelineEvent>;

export const CaseReply = z.object({
  outcome: ReplyOutcome,
  text: z.string(),
  contactedAt: z.number().int().nullable(),
  at: z.number().int(),
});
export type CaseReply = z.infer<typeof CaseReply>;

export const CaseEvaluation = z.object({
  resolved: z.boolean(),
  satisfaction: Satisfaction,
  words: z.string(),
  at: z.number().int(),
});
export type CaseEvaluation = z.infer<typeof CaseEvaluation>;

const code = z.string().nullable().default(null);
const instant = z.number().int().nullable().default(null);

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
  // Lifecycle (defaults let records written before these fields existed parse).
  /** The category's SLA class at registration. */
  slaClass: code,
  /** Where the address resolved, when it did. */
  districtCode: code,
  streetCode: code,
  /** The unit the case is (or was last) dispatched to. */
  unitId: code,
  dispatchedAt: instant,
  /** Deadlines of the current dispatch, computed by the server from the SLA policy. */
  signBy: instant,
  replyBy: instant,
  acceptedAt: instant,
  repliedAt: instant,
  closedAt: instant,
  /** For a merged duplicate: the case it was merged into. */
  mergedInto: code,
  /** A direct answer given at intake. */
  answer: code,
  reply: CaseReply.nullable().default(null),
  evaluation: CaseEvaluation.nullable().default(null),
  /** Why the last unit handed the case back. */
  returnReason: code,
  /** Answers to the category's intake questions. */
  answers: IntakeAnswers.default({}),
  // The intake record (defaults: what cases registered before these fields existed were).
  contactType: ContactType.default('complaint'),
  urgency: Urgency.default('normal'),
  language: CallerLanguage.default('zh'),
  interpreter: z.boolean().default(false),
  anonymous: z.boolean().default(false),
  confidential: z.boolean().default(false),
  callbackPhone: z.string().nullable().default(null),
  callbackWindow: TimeWindow.nullable().default(null),
  /** How many more times this caller has called about this case (a linked repeat call adds one). */
  repeatCount: z.number().int().nonnegative().default(0),
  /** When a registered case must be dispatched by, from its urgency (the policy's `dispatchWithinMinutes`). */
  dispatchBy: instant,
  /** Callbacks that reached nobody (or were refused), and when to try again. */
  callbackAttempts: z.number().int().nonnegative().default(0),
  nextCallbackAt: instant,
  dispatchCount: z.number().int().nonnegative().default(0),
  reopenCount: z.number().int().nonnegative().default(0),
  timeline: z.array(TimelineEvent).default([]),
});
export type CaseRecord = z.infer<typeof CaseRecord>;
export type CaseRecordInput = z.input<typeof CaseRecord>;

/**
 * The JSON a store keeps in a case row's `detail` column: every field of the record it has no
 * column for (both stores keep queryable facts as columns and the rest here).
 */
export function caseDetailJson(record: CaseRecord, columns: ReadonlySet<string>): string {
  const detail: Record<string, unknown> = {};
  for (const key of Object.keys(CaseRecord.shape)) if (!columns.has(key)) detail[key] = record[key as keyof CaseRecord];
  return JSON.stringify(detail);
}

/** A record from a store row: its columns (by record key) over what `detail` holds. */
export function caseFromColumns(columns: Record<string, unknown>, detail: string | null): CaseRecord {
  return CaseRecord.parse({ ...(detail ? (JSON.parse(detail) as Record<string, unknown>) : {}), ...columns });
}

/** A case as the renderer sees it: the record plus whether local changes are still unconfirmed. */
export const CaseView = CaseRecord.extend({
  pending: z.boolean(),
  /**
   * A confidential caller's identity is withheld from this user (name and numbers blank) until
   * they reveal it with a reason; whoever registered the case knows it already.
   */
  callerHidden: z.boolean().default(false),
});
export type CaseView = z.infer<typeof CaseView>;

export function formatCaseNumber(station: string, seq: number): string {
  return `${station}-${String(seq).padStart(6, '0')}`;
}

/** The fields of a case the intake record gives (what the operator typed). */
export type IntakeFields = Pick<
  CaseRecord,
  | 'callerPhone'
  | 'callerName'
  | 'categoryCode'
  | 'address'
  | 'description'
  | 'answers'
  | 'contactType'
  | 'urgency'
  | 'language'
  | 'interpreter'
  | 'anonymous'
  | 'confidential'
  | 'callbackPhone'
  | 'callbackWindow'
>;

type LifecycleFields = Omit<
  CaseRecord,
  'id' | 'number' | 'status' | 'channel' | 'callerPhone' | 'callerName' | 'categoryCode' | 'address' | 'description' | 'createdBy' | 'team' | 'station' | 'createdAt' | 'updatedAt' | 'assignee' | 'rev'
>;

/** The intake record of a request that did not come through an operator (Open311): the common case. */
export const INTAKE_DEFAULTS: Omit<IntakeFields, 'callerPhone' | 'callerName' | 'categoryCode' | 'address' | 'description' | 'answers'> = {
  contactType: 'complaint',
  urgency: 'normal',
  language: 'zh',
  interpreter: false,
  anonymous: false,
  confidential: false,
  callbackPhone: null,
  callbackWindow: null,
};

/** The lifecycle fields of a case that has just been registered (and the common intake record). */
export function freshLifecycle(): LifecycleFields {
  return {
    slaClass: null,
    districtCode: null,
    streetCode: null,
    unitId: null,
    dispatchedAt: null,
    signBy: null,
    replyBy: null,
    acceptedAt: null,
    repliedAt: null,
    closedAt: null,
    mergedInto: null,
    answer: null,
    reply: null,
    evaluation: null,
    returnReason: null,
    answers: {},
    ...INTAKE_DEFAULTS,
    repeatCount: 0,
    dispatchBy: null,
    callbackAttempts: 0,
    nextCallbackAt: null,
    dispatchCount: 0,
    reopenCount: 0,
    timeline: [],
  };
}

/** What registration needs beyond the operator's draft: who, where, when, and what the reference data says. */
export interface Registration {
  channel: Channel;
  createdBy: string;
  team: string;
  station: string;
  /** The moment of intake the case carries. */
  createdAt: number;
  /** When the record (and its first timeline event) was written. */
  at: number;
  assignee: string | null;
  slaClass: string | null;
  districtCode: string | null;
  streetCode: string | null;
  /** When the case must be dispatched by (from its urgency); null when no policy says. */
  dispatchBy: number | null;
  /** Who the first timeline event names (the user, or a system actor such as `open311`). */
  actor: { id: string; kind: TimelineEvent['actorKind']; station: string | null };
  eventData?: Record<string, unknown>;
}

/** A newly registered case (revision 1) with its first timeline event; the same on server and workstation. */
export function registeredCase(draft: Pick<CaseRecord, 'id' | 'number'> & IntakeFields, r: Registration): CaseRecord {
  // Object.assign onto the defaults: spreading them into a literal and then adding the draft's
  // fields sent V8 down a slow path, ~48 µs a case against ~2.4 µs (`npx tsx bench/hot-paths.ts`).
  return Object.assign(freshLifecycle(), {
    id: draft.id,
    number: draft.number,
    status: 'registered' as const,
    channel: r.channel,
    callerPhone: draft.callerPhone,
    // An anonymous caller's name is never kept, whatever was typed.
    callerName: draft.anonymous ? '' : draft.callerName,
    categoryCode: draft.categoryCode,
    address: draft.address,
    description: draft.description,
    createdBy: r.createdBy,
    team: r.team,
    station: r.station,
    createdAt: r.createdAt,
    updatedAt: r.at,
    assignee: r.assignee,
    rev: 1,
    slaClass: r.slaClass,
    districtCode: r.districtCode,
    streetCode: r.streetCode,
    answers: draft.answers,
    contactType: draft.contactType,
    urgency: draft.urgency,
    language: draft.language,
    interpreter: draft.interpreter,
    anonymous: draft.anonymous,
    confidential: draft.confidential,
    callbackPhone: draft.callbackPhone,
    callbackWindow: draft.callbackWindow,
    dispatchBy: r.dispatchBy,
    timeline: [{ at: r.at, kind: 'registered', actor: r.actor.id, actorKind: r.actor.kind, station: r.actor.station, note: null, data: { channel: r.channel, ...r.eventData } }],
  });
}
