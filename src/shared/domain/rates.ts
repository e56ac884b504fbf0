import { z } from 'zod';
import type { Satisfaction } from './case';
import type { ContactType } from './contact';

// The hotline's three rates (response, resolution, satisfaction) per unit or district over a
// period. Pure: the server extracts facts from case_events and hands them here with the policy
// from resources/reference/rates.json. docs/rates.md states the formulas and every edge decision.

const MINUTE = 60_000;
const Weight = z.number().min(0).max(1);

/** How the rates are computed; every key has the default docs/rates.md argues for. */
export const RatesConfig = z
  .object({
    $comment: z.string().optional(),
    response: z
      .object({
        /**
         * When the unit counts as having contacted the citizen: `reported` — the contactedAt the
         * unit reports with its reply; `reportedOrReply` — that, else the reply time; `reply` —
         * the reply time; `accept` — signing for the case implies contact.
         */
        contact: z.enum(['reported', 'reportedOrReply', 'reply', 'accept']).default('reported'),
        /** The contact deadline: the dispatch's sign-for or reply deadline, or minutes after dispatch. */
        contactDeadline: z
          .union([z.enum(['signBy', 'replyBy']), z.object({ afterDispatchMinutes: z.number().int().positive() }).strict()])
          .default('signBy'),
        /**
         * A dispatch the unit handed back: `notResponded` — stays in that unit's denominator, not
         * responded; `exclude` — leaves the denominator (a routing error is not the unit's
         * fault); `asUsual` — judged like any dispatch (signed and contacted in time).
         */
        returned: z.enum(['notResponded', 'exclude', 'asUsual']).default('notResponded'),
        /** A dispatch whose deadlines have not passed and that is not yet responded: left out, or counted as not responded. */
        pending: z.enum(['exclude', 'notResponded']).default('exclude'),
      })
      .strict()
      .prefault({}),
    /** A reopened case evaluated twice: only its latest evaluation counts, or every evaluation does. */
    evaluations: z.enum(['latest', 'every']).default('latest'),
    /** What each satisfaction answer adds to the satisfaction rate's numerator. */
    satisfactionWeights: z
      .object({ satisfied: Weight.default(1), basically: Weight.default(0), unsatisfied: Weight.default(0) })
      .strict()
      .prefault({}),
  })
  .strict();
export type RatesConfig = z.infer<typeof RatesConfig>;
export type RatesConfigInput = z.input<typeof RatesConfig>;

export const DEFAULT_RATES_CONFIG: RatesConfig = RatesConfig.parse({});

/** One dispatch of a case to a unit, with what that unit did before the case left it. */
export interface DispatchFact {
  caseId: string;
  unitId: string;
  /** The district of the case (where its address resolved); null when unknown. */
  districtCode: string | null;
  dispatchedAt: number;
  /** Deadlines of this dispatch; null means the dispatch had none (any time counts as in time). */
  signBy: number | null;
  replyBy: number | null;
  /** The unit's first sign-for after this dispatch, its return, its reply and the contact it reported. */
  acceptedAt: number | null;
  returnedAt: number | null;
  repliedAt: number | null;
  contactedAt: number | null;
  /** When the case left this dispatch without a reply from the unit (re-dispatched or merged); null while it is with the unit. */
  endedAt: number | null;
  /** The case was merged into another: a duplicate is not a case of its own. */
  merged: boolean;
  /** The case's contact type (complaint, help, …): the rates count the types apart. */
  contactType: ContactType;
}

/** A case answered directly at intake (a consultation closed on the call). */
export interface AnswerFact {
  caseId: string;
  districtCode: string | null;
  at: number;
  merged: boolean;
  contactType: ContactType;
}

export interface EvaluationFact {
  caseId: string;
  /** The unit whose reply was evaluated (the case's unit at evaluation time). */
  unitId: string | null;
  districtCode: string | null;
  at: number;
  resolved: boolean;
  satisfaction: Satisfaction;
  merged: boolean;
  contactType: ContactType;
}

/** Figures per responding unit, per district of the case, or per contact type. */
export const RatesGroupBy = z.enum(['unit', 'district', 'type']);
export type RatesGroupBy = z.infer<typeof RatesGroupBy>;

export interface RatesQuery {
  /** Half-open period [from, to), epoch ms. */
  from: number;
  to: number;
  groupBy: RatesGroupBy;
  unitId?: string | undefined;
  districtCode?: string | undefined;
  /** The moment the figures are taken at: decides which dispatches are still pending. */
  asOf: number;
}

const Count = z.number().int().nonnegative();
const Rate = z.number().min(0).max(1).nullable();

export const RatesFigures = z.object({
  /** Dispatches placed in the period by dispatch time (returned ones per `response.returned`). */
  dispatched: Count,
  /** Of those, not yet decided at `asOf` (deadlines still running); not in the response denominator. */
  pending: Count,
  responded: Count,
  /** Evaluations placed in the period by evaluation time. */
  evaluated: Count,
  resolved: Count,
  satisfaction: z.object({ satisfied: Count, basically: Count, unsatisfied: Count }),
  satisfiedWeighted: z.number().nonnegative(),
  /** Cases answered directly at intake in the period (consultations closed on the call): not dispatched, not evaluated. */
  answered: Count,
  /** responded / (dispatched − pending); null when that is 0. */
  responseRate: Rate,
  /** resolved / evaluated; null when nothing was evaluated. */
  resolutionRate: Rate,
  /** satisfiedWeighted / evaluated; null when nothing was evaluated. */
  satisfactionRate: Rate,
});
export type RatesFigures = z.infer<typeof RatesFigures>;

export const RatesGroup = RatesFigures.extend({
  /** Unit id, district code or contact type; null: what has none (an answer at intake has no unit, a case may have no district). */
  key: z.string().nullable(),
});
export type RatesGroup = z.infer<typeof RatesGroup>;

export const RatesReport = z.object({
  from: z.number().int(),
  to: z.number().int(),
  asOf: z.number().int(),
  groupBy: RatesGroupBy,
  unitId: z.string().nullable(),
  districtCode: z.string().nullable(),
  groups: z.array(RatesGroup),
  total: RatesFigures,
  /** The policy the figures were computed with. */
  config: RatesConfig,
});
export type RatesReport = z.infer<typeof RatesReport>;

export type ResponseVerdict = 'responded' | 'not_responded' | 'pending' | 'excluded';

function contactDeadline(d: DispatchFact, config: RatesConfig): number | null {
  const rule = config.response.contactDeadline;
  if (rule === 'signBy') return d.signBy;
  if (rule === 'replyBy') return d.replyBy;
  return d.dispatchedAt + rule.afterDispatchMinutes * MINUTE;
}

function contactTime(d: DispatchFact, config: RatesConfig): number | null {
  switch (config.response.contact) {
    case 'reported':
      return d.contactedAt;
    case 'reportedOrReply':
      return d.contactedAt ?? d.repliedAt;
    case 'reply':
      return d.repliedAt;
    case 'accept':
      return d.acceptedAt;
  }
}

const inTime = (at: number | null, deadline: number | null): boolean => at !== null && (deadline === null || at <= deadline);

/**
 * How one dispatch counts towards its unit's response rate at `asOf`: signed for at or before
 * signBy AND contacted at or before the contact deadline. Undecided while a deadline still runs
 * (or, for contact reported with the reply, until the reply deadline passes).
 */
export function responseVerdict(d: DispatchFact, config: RatesConfig, asOf: number): ResponseVerdict {
  if (d.merged) return 'excluded';
  if (d.returnedAt !== null && config.response.returned === 'exclude') return 'excluded';
  if (d.returnedAt !== null && config.response.returned === 'notResponded') return 'not_responded';
  const contact = contactTime(d, config);
  const deadline = contactDeadline(d, config);
  const signed = inTime(d.acceptedAt, d.signBy);
  if (signed && inTime(contact, deadline)) return 'responded';
  // Not responded yet: is that final, or may facts still come that make it so?
  if (d.acceptedAt !== null && !signed) return 'not_responded';
  if (d.acceptedAt === null && d.signBy !== null && asOf > d.signBy) return 'not_responded';
  if (contact !== null) return 'not_responded';
  if (d.returnedAt !== null || d.repliedAt !== null || d.endedAt !== null) return 'not_responded';
  // Still with the unit, no contact known. A contact reported with the reply may arrive until the reply deadline.
  const horizons = [d.signBy, deadline, config.response.contact === 'accept' ? null : d.replyBy].filter((h): h is number => h !== null);
  if (horizons.length > 0 && asOf > Math.max(...horizons)) return 'not_responded';
  return config.response.pending === 'exclude' ? 'pending' : 'not_responded';
}

/** The evaluations that count: merged duplicates out; with `latest`, only each case's last one. */
export function countedEvaluations(facts: readonly EvaluationFact[], config: RatesConfig): EvaluationFact[] {
  const live = facts.filter((e) => !e.merged);
  if (config.evaluations === 'every') return live;
  const latest = new Map<string, EvaluationFact>();
  for (const e of live) {
    const seen = latest.get(e.caseId);
    if (!seen || e.at >= seen.at) latest.set(e.caseId, e);
  }
  return [...latest.values()];
}

interface Tally {
  answered: number;
  dispatched: number;
  pending: number;
  responded: number;
  evaluated: number;
  resolved: number;
  satisfied: number;
  basically: number;
  unsatisfied: number;
}

const emptyTally = (): Tally => ({ answered: 0, dispatched: 0, pending: 0, responded: 0, evaluated: 0, resolved: 0, satisfied: 0, basically: 0, unsatisfied: 0 });

const ratio = (num: number, den: number): number | null => (den > 0 ? num / den : null);

/** Sums of weights are rounded to 1e-9 so that 3 × 0.8 reads 2.4, not 2.4000000000000004. */
const tidy = (x: number): number => Math.round(x * 1e9) / 1e9;

function figures(t: Tally, config: RatesConfig): RatesFigures {
  const w = config.satisfactionWeights;
  const weighted = t.satisfied * w.satisfied + t.basically * w.basically + t.unsatisfied * w.unsatisfied;
  return {
    dispatched: t.dispatched,
    pending: t.pending,
    responded: t.responded,
    evaluated: t.evaluated,
    resolved: t.resolved,
    satisfaction: { satisfied: t.satisfied, basically: t.basically, unsatisfied: t.unsatisfied },
    satisfiedWeighted: tidy(weighted),
    answered: t.answered,
    responseRate: ratio(t.responded, t.dispatched - t.pending),
    resolutionRate: ratio(t.resolved, t.evaluated),
    satisfactionRate: ratio(weighted, t.evaluated),
  };
}

const inPeriod = (at: number, q: RatesQuery): boolean => at >= q.from && at < q.to;

/**
 * The rates per group and in total. Dispatches are placed in the period by dispatch time,
 * evaluations by evaluation time; both are grouped by unit or by the case's district. Facts may
 * reach beyond the period (a later evaluation decides which one is latest); only those inside count.
 */
export function computeRates(
  facts: { dispatches: readonly DispatchFact[]; evaluations: readonly EvaluationFact[]; answers?: readonly AnswerFact[] },
  query: RatesQuery,
  config: RatesConfig = DEFAULT_RATES_CONFIG,
): RatesReport {
  const keyOf = (f: { unitId: string | null; districtCode: string | null; contactType: ContactType }): string | null =>
    query.groupBy === 'unit' ? f.unitId : query.groupBy === 'district' ? f.districtCode : f.contactType;
  const wanted = (f: { unitId: string | null; districtCode: string | null }): boolean =>
    (query.unitId === undefined || f.unitId === query.unitId) && (query.districtCode === undefined || f.districtCode === query.districtCode);
  const groups = new Map<string | null, Tally>();
  const total = emptyTally();
  const tallyOf = (key: string | null): Tally => {
    let t = groups.get(key);
    if (!t) {
      t = emptyTally();
      groups.set(key, t);
    }
    return t;
  };

  for (const d of facts.dispatches) {
    if (!inPeriod(d.dispatchedAt, query) || !wanted(d)) continue;
    const verdict = responseVerdict(d, config, query.asOf);
    if (verdict === 'excluded') continue;
    for (const t of [tallyOf(keyOf(d)), total]) {
      t.dispatched += 1;
      if (verdict === 'pending') t.pending += 1;
      if (verdict === 'responded') t.responded += 1;
    }
  }
  for (const e of countedEvaluations(facts.evaluations, config)) {
    if (!inPeriod(e.at, query) || !wanted(e)) continue;
    for (const t of [tallyOf(keyOf(e)), total]) {
      t.evaluated += 1;
      if (e.resolved) t.resolved += 1;
      t[e.satisfaction] += 1;
    }
  }

  for (const a of facts.answers ?? []) {
    if (a.merged || !inPeriod(a.at, query) || !wanted({ unitId: null, districtCode: a.districtCode })) continue;
    for (const t of [tallyOf(keyOf({ unitId: null, districtCode: a.districtCode, contactType: a.contactType })), total]) t.answered += 1;
  }

  const keys = [...groups.keys()].sort((a, b) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1));
  return {
    from: query.from,
    to: query.to,
    asOf: query.asOf,
    groupBy: query.groupBy,
    unitId: query.unitId ?? null,
    districtCode: query.districtCode ?? null,
    groups: keys.map((key) => ({ key, ...figures(groups.get(key) ?? emptyTally(), config) })),
    total: figures(total, config),
    config,
  };
}
