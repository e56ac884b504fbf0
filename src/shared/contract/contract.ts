import { z } from 'zod';
import { CaseDraft, CaseView, PhoneNumber } from '../domain/case';
import { CallbackAttempt, CaseChanges, RepeatCallNote, RevealReason } from '../domain/amend';
import { Draft, DraftFields } from '../domain/draft';
import { ArticleContent, ArticleDraftRecord, ArticleLanguage, ArticleRecord, ArticleVersion } from '../domain/article';
import { ExtendedCategory } from '../reference/categories';
import { STEP_SCHEMAS } from '../domain/lifecycle';
import { Suggestion } from '../reference/routing';
import { UnitKind } from '../reference/units';
import { SlaPolicy } from '../reference/sla';
import { UserInfo } from '../domain/user';
import { Space } from '../domain/space';
import { Urgency } from '../domain/contact';
import { RatesReport } from '../domain/rates';
import { RatesRequest } from '../rates/api';
import type { EventName, MethodName } from './names';

export const SessionInfo = z.object({
  user: UserInfo,
  station: z.string(),
  serverUrl: z.string(),
  /** The data space the session works in: `training` is practice, in its own local and server stores. */
  space: Space,
  /** An admin set this password: nothing but changing it (or signing out) until it is changed. */
  mustChangePassword: z.boolean().optional(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SyncStatus = z.object({
  /** Connected to the central server and authenticated. */
  online: z.boolean(),
  /** Local mutations not yet confirmed by the server. */
  pending: z.number().int().nonnegative(),
  syncing: z.boolean(),
  lastSyncAt: z.number().int().nullable(),
  /** serverTime - localTime in ms, as measured at the last pull. */
  clockOffsetMs: z.number().int(),
  error: z.string().nullable(),
});
export type SyncStatus = z.infer<typeof SyncStatus>;

export const SyncProgress = z.object({
  /** Changes applied in this catch-up so far, and how many the server said remained in total. */
  received: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  done: z.boolean(),
});
export type SyncProgress = z.infer<typeof SyncProgress>;

export const Rejection = z.object({
  mutationId: z.string(),
  name: z.string(),
  caseNumber: z.string().nullable(),
  code: z.string(),
  message: z.string(),
  at: z.number().int(),
  /** A conflict: the case moved on; `sync.redo` repeats the action on its current state. */
  redoable: z.boolean(),
});
export type Rejection = z.infer<typeof Rejection>;

const Empty = z.object({}).strict();

/** The steps an operator or lead takes from the workstation; a merge names the target by its number. */
export const StaffStep = z.discriminatedUnion('action', [
  STEP_SCHEMAS.answer.strict(),
  STEP_SCHEMAS.dispatch.strict(),
  STEP_SCHEMAS.evaluate.strict(),
  STEP_SCHEMAS.close.strict(),
  STEP_SCHEMAS.reopen.strict(),
  z.object({ action: z.literal('merge'), intoNumber: z.string().trim().min(1, 'required').max(40) }).strict(),
]);
export type StaffStep = z.infer<typeof StaffStep>;
export type StaffStepInput = z.input<typeof StaffStep>;

/** A call ringing on this workstation's line, as the softphone's hook reported it. */
export const IncomingCall = z.object({
  /** The calling number (what caller id gave; empty when withheld). */
  from: PhoneNumber.or(z.literal('')),
  /** The hotline line or queue it came in on, when the telephone system says. */
  line: z.string().max(40).nullable(),
  at: z.number().int(),
});
export type IncomingCall = z.infer<typeof IncomingCall>;

/** An article found by the knowledge base's search: what a result line shows, and where the query matched. */
export const ArticleHit = z.object({
  id: z.string(),
  key: z.string(),
  language: ArticleLanguage,
  title: z.string(),
  categories: z.array(z.string()),
  answerScript: z.string(),
  version: z.number().int(),
  /** Outside its validity dates (shown in a search, never suggested). */
  expired: z.boolean(),
  /** Higher is better; only the order means anything. */
  score: z.number(),
  snippet: z.object({ text: z.string(), marks: z.array(z.tuple([z.number().int(), z.number().int()])) }),
});
export type ArticleHit = z.infer<typeof ArticleHit>;

const ArticleId = z.string().min(3).max(90);

/** Why an earlier case may be the same matter as the call being taken. */
export const SimilarReason = z.enum(['phone', 'place']);
export const SimilarCase = z.object({ case: CaseView, reasons: z.array(SimilarReason).min(1) });
export type SimilarCase = z.infer<typeof SimilarCase>;

/**
 * mine: my open cases; team: the team's, newest first; callback: replied, waiting for the citizen
 * to be called back; withUnits: out with a unit or handed back; returned: handed back by the unit.
 * All but `team` are queues: the most urgent first, then the soonest deadline of the state.
 */
export const CaseListScope = z.enum(['mine', 'team', 'callback', 'withUnits', 'returned']);
export type CaseListScope = z.infer<typeof CaseListScope>;

export const UnitInfo = z.object({ id: z.string(), kind: UnitKind, nameZh: z.string(), nameEn: z.string() });
export type UnitInfo = z.infer<typeof UnitInfo>;

export const DispatchSuggestion = Suggestion.extend({ nameZh: z.string(), nameEn: z.string() });
export type DispatchSuggestion = z.infer<typeof DispatchSuggestion>;

/** A place of the city's geography, as intake shows it under the address. */
export const PlaceInfo = z.object({
  level: z.enum(['district', 'street', 'community']),
  code: z.string(),
  nameZh: z.string(),
  /** District › street › community, in Chinese. */
  pathZh: z.string(),
  districtCode: z.string(),
  streetCode: z.string().nullable(),
  /**
   * Set when the entry is a landmark or road of the curated list (望京SOHO, 中关村大街): `nameZh`
   * is its name, and the rest (level `street`, code, path ending in its name) its street's.
   */
  landmark: z.enum(['landmark', 'road']).optional(),
});
export type PlaceInfo = z.infer<typeof PlaceInfo>;

/**
 * What intake shows while the operator types: where the address is, who the case would go to
 * and why, and the deadlines it would get (minutes, from the SLA policy for its urgency and class).
 */
export const DispatchPreview = z.object({
  place: PlaceInfo.nullable(),
  /** How sure the address resolution is (0–1); below 0.5 intake asks the operator to confirm. */
  confidence: z.number().min(0).max(1),
  suggestions: z.array(DispatchSuggestion),
  deadlines: z
    .object({ dispatchWithinMinutes: z.number().int(), signWithinMinutes: z.number().int(), replyWithinMinutes: z.number().int(), slaClass: z.string() })
    .nullable(),
});
export type DispatchPreview = z.infer<typeof DispatchPreview>;

/** The renderer↔core API: every method with its input and output, every event with its payload. */
export const contract = {
  methods: {
    'app.info': { input: Empty, output: z.object({ version: z.string(), mode: z.enum(['electron', 'browser']), dataDir: z.string() }) },
    'session.login': {
      input: z
        .object({ username: z.string().trim().min(1, 'required').max(40), password: z.string().min(1, 'required').max(200), space: Space.default('live') })
        .strict(),
      output: SessionInfo,
    },
    'session.logout': { input: Empty, output: z.null() },
    /** Changes the user's password on the server (needs it online); their sessions elsewhere end. */
    'session.changePassword': {
      input: z.object({ currentPassword: z.string().min(1, 'required').max(200), newPassword: z.string().min(8, 'password_too_short').max(200) }).strict(),
      output: SessionInfo,
    },
    'session.current': { input: Empty, output: SessionInfo.nullable() },
    /**
     * Registers a case. With `draftId`, the draft it was typed in goes in the same transaction (never
     * both, never neither); with `then`, the next step is queued with it: the dispatch to a unit, or
     * the direct answer of a consultation, so one key saves and sends.
     */
    'cases.create': {
      input: CaseDraft.extend({
        draftId: z.uuid().optional(),
        then: z
          .discriminatedUnion('action', [STEP_SCHEMAS.dispatch.strict(), STEP_SCHEMAS.answer.strict()])
          .optional(),
      }).strict(),
      output: CaseView,
    },
    'cases.list': {
      input: z.object({ scope: CaseListScope, limit: z.number().int().min(1).max(500).default(100) }).strict(),
      output: z.array(CaseView),
    },
    'cases.get': { input: z.object({ caseId: z.uuid() }).strict(), output: CaseView },
    /** Several cases at once (what a `cases.changed` event names): those on this workstation, and the ids that are not. */
    'cases.getMany': {
      input: z.object({ ids: z.array(z.uuid()).max(500) }).strict(),
      output: z.object({ cases: z.array(CaseView), missing: z.array(z.string()) }),
    },
    /** A lifecycle step, queued like every change (works offline); the server may still refuse it. */
    'cases.step': { input: z.object({ caseId: z.uuid(), step: StaffStep }).strict(), output: CaseView },
    /** Ranked units for the case from the routing rules this workstation holds, with the reason. */
    'dispatch.suggest': { input: z.object({ caseId: z.uuid() }).strict(), output: z.array(DispatchSuggestion) },
    /** Who a case of this category at this address would go to, and its deadlines, before it is saved (offline too). */
    'dispatch.preview': {
      input: z.object({ categoryCode: z.string().max(40), address: z.string().max(400), urgency: Urgency.default('normal') }).strict(),
      output: DispatchPreview,
    },
    /** Places of the city whose name contains the text (districts, streets, communities), for address completion. */
    'reference.places': {
      input: z.object({ q: z.string().max(40), limit: z.number().int().min(1).max(50).default(10) }).strict(),
      output: z.array(PlaceInfo),
    },
    /** How often this user registered each category lately (90 days): the category search ranks by it. */
    'cases.categoryUsage': { input: Empty, output: z.record(z.string(), z.number().int().nonnegative()) },
    'reference.units': { input: Empty, output: z.array(UnitInfo) },
    /** The user directory on this workstation (names to show for the user ids on a timeline). */
    'reference.users': { input: Empty, output: z.array(UserInfo) },
    'reference.sla': { input: Empty, output: SlaPolicy.nullable() },
    'cases.reassign': {
      input: z.object({ caseId: z.uuid(), toUserId: z.string().min(1).max(64) }).strict(),
      output: CaseView,
    },
    /**
     * Cases on this workstation matching a query as the operator types it: a case number (or its
     * last digits), a phone number (first or last digits), words of the address, description or
     * name (Chinese of any length); newest first.
     */
    'cases.search': {
      input: z.object({ q: z.string().max(200), limit: z.number().int().min(1).max(200).default(50) }).strict(),
      output: z.object({ cases: z.array(CaseView), more: z.boolean() }),
    },
    /**
     * Cases the central server finds beyond this workstation's cache (closed longer ago than it
     * keeps, or another team's for a lead): by number, by phone, or by words. Needs the server.
     */
    'cases.searchServer': {
      input: z.object({ q: z.string().trim().min(1).max(100), limit: z.number().int().min(1).max(100).default(50) }).strict(),
      output: z.object({ cases: z.array(CaseView), matchedBy: z.enum(['number', 'phone', 'text']) }),
    },
    /** A caller's earlier cases on this workstation, newest first (the screen pop shows them beside intake). */
    'cases.history': {
      input: z.object({ phone: z.string().max(40), limit: z.number().int().min(1).max(200).default(20) }).strict(),
      output: z.array(CaseView),
    },
    /**
     * Possible duplicates of the call being typed: open or recent cases of the same caller, or of
     * the same category at the same place (community, else street).
     */
    'cases.similar': {
      input: z
        .object({
          callerPhone: z.string().max(40).default(''),
          categoryCode: z.string().max(40).default(''),
          address: z.string().max(200).default(''),
          excludeId: z.uuid().optional(),
        })
        .strict(),
      output: z.array(SimilarCase),
    },
    /** Changes to the intake record after registration (type, urgency, language, callback …); last writer wins, on the timeline. */
    'cases.amend': { input: z.object({ caseId: z.uuid(), changes: CaseChanges }).strict(), output: CaseView },
    /** The caller called again about this open case: a repeat call on its timeline (urgency rises per policy), not a second case. */
    'cases.repeatCall': { input: z.object({ caseId: z.uuid(), note: RepeatCallNote }).strict(), output: CaseView },
    /** A callback that reached nobody (or was refused), and when to try again; the callback queue waits until then. */
    'cases.callbackAttempt': { input: z.object({ caseId: z.uuid(), attempt: CallbackAttempt }).strict(), output: CaseView },
    /** Shows a confidential caller's identity to this user, the reason logged on the case for good. */
    'cases.revealCaller': { input: z.object({ caseId: z.uuid(), reason: RevealReason }).strict(), output: CaseView },
    'reference.categories': { input: Empty, output: z.array(ExtendedCategory) },
    'sync.status': { input: Empty, output: SyncStatus },
    'sync.rejections': { input: Empty, output: z.array(Rejection) },
    'sync.dismissRejection': { input: z.object({ mutationId: z.string() }).strict(), output: z.null() },
    'sync.redo': { input: z.object({ mutationId: z.string() }).strict(), output: z.null() },
    /** The knowledge base on this workstation (offline): ranked, with snippets; filters by language and category. */
    'kb.search': {
      input: z
        .object({
          q: z.string().max(200),
          language: ArticleLanguage.optional(),
          categoryCode: z.string().max(40).optional(),
          limit: z.number().int().min(1).max(50).default(20),
        })
        .strict(),
      output: z.array(ArticleHit),
    },
    /** The top articles for what the caller said (the description as typed): valid ones only, the case's category first. */
    'kb.suggest': {
      input: z.object({ text: z.string().max(4000), categoryCode: z.string().max(40).optional(), language: ArticleLanguage.optional(), limit: z.number().int().min(1).max(10).default(3) }).strict(),
      output: z.array(ArticleHit),
    },
    /** One article, whole (and counted as used by this operator). */
    'kb.get': { input: z.object({ id: ArticleId }).strict(), output: ArticleRecord },
    /** This operator's recently and most used articles here. */
    'kb.mine': { input: Empty, output: z.object({ recent: z.array(ArticleRecord), most: z.array(ArticleRecord) }) },
    /** Every article as its editors see it (editors only): drafts, published, retired. */
    'kb.drafts': { input: Empty, output: z.array(ArticleDraftRecord) },
    /** Saves a new version of an article (a new article: baseVersion 0); a conflict if another editor saved since. */
    'kb.save': { input: z.object({ content: ArticleContent, baseVersion: z.number().int().nonnegative() }).strict(), output: ArticleDraftRecord },
    'kb.publish': { input: z.object({ id: ArticleId, expectedVersion: z.number().int().positive() }).strict(), output: ArticleDraftRecord },
    'kb.retire': { input: z.object({ id: ArticleId, expectedVersion: z.number().int().positive() }).strict(), output: ArticleDraftRecord },
    /** Makes an earlier version the latest again (publish it to put it live). */
    'kb.restore': {
      input: z.object({ id: ArticleId, fromVersion: z.number().int().positive(), expectedVersion: z.number().int().positive() }).strict(),
      output: ArticleDraftRecord,
    },
    /** Every version of an article, who wrote it and when (editors; needs the server). */
    'kb.history': { input: z.object({ id: ArticleId }).strict(), output: z.array(ArticleVersion) },
    /** Keeps the intake form as the operator left it (a new id starts a draft). */
    'drafts.save': { input: z.object({ id: z.uuid(), fields: DraftFields }).strict(), output: Draft },
    /** This user's drafts on this workstation, the latest first. */
    'drafts.list': { input: Empty, output: z.array(Draft) },
    'drafts.discard': { input: z.object({ id: z.uuid() }).strict(), output: z.null() },
    /** This user's settings on this workstation (the workstation's own before login): language, pane sizes … */
    'prefs.get': { input: Empty, output: z.record(z.string(), z.unknown()) },
    /** Sets one setting (null removes it); values are small JSON. */
    'prefs.set': {
      input: z
        .object({
          key: z.string().regex(/^[a-z][a-zA-Z0-9.]*$/, 'pref_key_format').max(60),
          value: z.json().refine((v) => JSON.stringify(v).length <= 4096, { error: 'too_long' }),
        })
        .strict(),
      output: z.null(),
    },
    /** The call that rang in the last minutes and was not taken yet (a reloaded window pops it again). */
    'call.current': { input: Empty, output: IncomingCall.nullable() },
    /** The operator took the call: it pops no more. */
    'call.taken': { input: Empty, output: z.null() },
    /** The three rates over [from, to), computed by the central server (leads and admins; needs the server). */
    'rates.get': { input: RatesRequest, output: RatesReport },
  },
  events: {
    'sync.status': SyncStatus,
    'cases.changed': z.object({ ids: z.array(z.string()) }),
    'sync.rejected': Rejection,
    'session.changed': SessionInfo.nullable(),
    'sync.progress': SyncProgress,
    /** Articles changed on this workstation (published, retired, or a draft saved). */
    'kb.changed': z.object({ ids: z.array(z.string()) }),
    /** A call rings: open intake with the number, and show the caller's earlier cases. */
    'call.incoming': IncomingCall,
    /** Reference data changed on this workstation (a pull brought categories, users or reference documents). */
    'reference.changed': z.object({ kinds: z.array(z.enum(['category', 'user', 'refdoc'])) }),
  },
} as const;

type Contract = typeof contract;
export type MethodInput<M extends MethodName> = z.input<Contract['methods'][M]['input']>;
export type MethodOutput<M extends MethodName> = z.output<Contract['methods'][M]['output']>;
export type EventPayload<E extends EventName> = z.output<Contract['events'][E]>;

// Compile-time proof that names.ts and the schemas list the same methods and events.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const contractNamesMatch: [Same<keyof Contract['methods'], MethodName>, Same<keyof Contract['events'], EventName>] = [true, true];
