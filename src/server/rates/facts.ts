import { z } from 'zod';
import type { Queryable } from '../db/driver';
import { Satisfaction } from '../../shared/domain/case';
import { SlaClass } from '../../shared/domain/reference';
import type { AnswerFact, DispatchFact, EvaluationFact } from '../../shared/domain/rates';
import type { ReferenceSet } from '../reference/reference-set';
import { caseIdsWithRateEvents, rateEventsOf, type RateEventRow } from '../store/rates';

/** Cases read per query: keeps the IN list and each result set small. */
const CHUNK = 500;

const Instant = z.number().int().nullable().optional();
const DispatchData = z.object({ unitId: z.string(), signBy: Instant, replyBy: Instant });
const ReplyData = z.object({ contactedAt: Instant });
const EvaluateData = z.object({ resolved: z.boolean(), satisfaction: Satisfaction });

/**
 * Same-millisecond events of one case (rare: steps are separate requests) in lifecycle order; a
 * return followed by a re-dispatch in the same millisecond would be misread, and is not expected.
 */
const RANK: Record<string, number> = { answer: 0, dispatch: 0, accept: 1, return: 2, reply: 2, evaluate: 3, merge: 4 };

export interface RateFacts {
  dispatches: DispatchFact[];
  evaluations: EvaluationFact[];
  answers: AnswerFact[];
  /** Events whose data did not parse (logged by the caller, never counted). */
  skipped: number;
}

function parseData(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/**
 * A dispatch's deadlines: from its event (recorded since the rates were built); for older events,
 * the case's columns when this is its latest dispatch, else the SLA policy applied again.
 */
function deadlinesOf(row: RateEventRow, data: z.infer<typeof DispatchData>, ref: ReferenceSet): { signBy: number | null; replyBy: number | null } {
  if (data.signBy !== undefined && data.replyBy !== undefined) return { signBy: data.signBy, replyBy: data.replyBy };
  if (row.dispatchedAt === row.at) return { signBy: row.signBy, replyBy: row.replyBy };
  const sla = SlaClass.safeParse(row.slaClass ?? ref.category(row.categoryCode)?.slaClass);
  return ref.deadlines(sla.success ? sla.data : 'general', row.at);
}

/** The facts of one case from its events in time order: one per dispatch, one per evaluation. */
export function caseFacts(rows: readonly RateEventRow[], ref: ReferenceSet): RateFacts {
  const out: RateFacts = { dispatches: [], evaluations: [], answers: [], skipped: 0 };
  const sorted = [...rows].sort((a, b) => a.at - b.at || (RANK[a.kind] ?? 9) - (RANK[b.kind] ?? 9));
  let current: DispatchFact | null = null;
  for (const row of sorted) {
    const raw = parseData(row.data);
    const merged = row.mergedInto !== null;
    switch (row.kind) {
      case 'dispatch': {
        const data = DispatchData.safeParse(raw);
        if (!data.success) {
          out.skipped += 1;
          break;
        }
        if (current) current.endedAt ??= row.at;
        current = {
          caseId: row.caseId,
          unitId: data.data.unitId,
          districtCode: row.districtCode,
          dispatchedAt: row.at,
          ...deadlinesOf(row, data.data, ref),
          acceptedAt: null,
          returnedAt: null,
          repliedAt: null,
          contactedAt: null,
          endedAt: null,
          merged,
          contactType: row.contactType,
        };
        out.dispatches.push(current);
        break;
      }
      case 'accept':
        if (current) current.acceptedAt ??= row.at;
        break;
      case 'return':
        if (current) current.returnedAt ??= row.at;
        break;
      case 'reply': {
        if (!current || current.repliedAt !== null) break;
        current.repliedAt = row.at;
        const data = ReplyData.safeParse(raw);
        current.contactedAt = data.success ? (data.data.contactedAt ?? null) : null;
        break;
      }
      case 'evaluate': {
        const data = EvaluateData.safeParse(raw);
        if (!data.success) {
          out.skipped += 1;
          break;
        }
        out.evaluations.push({
          caseId: row.caseId,
          unitId: current?.unitId ?? null,
          districtCode: row.districtCode,
          at: row.at,
          resolved: data.data.resolved,
          satisfaction: data.data.satisfaction,
          merged,
          contactType: row.contactType,
        });
        break;
      }
      case 'answer':
        out.answers.push({ caseId: row.caseId, districtCode: row.districtCode, at: row.at, merged, contactType: row.contactType });
        break;
      case 'merge':
        if (current) current.endedAt ??= row.at;
        break;
    }
  }
  return out;
}

/**
 * The facts the rates of [from, to) are computed from: every dispatch and evaluation of each case
 * that had a dispatch or an evaluation in the period (the pure computation places them in it).
 */
export async function loadRateFacts(q: Queryable, period: { from: number; to: number }, ref: ReferenceSet): Promise<RateFacts> {
  const ids = await caseIdsWithRateEvents(q, period.from, period.to);
  const all: RateFacts = { dispatches: [], evaluations: [], answers: [], skipped: 0 };
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await rateEventsOf(q, ids.slice(i, i + CHUNK));
    let start = 0;
    for (let j = 1; j <= rows.length; j += 1) {
      if (j < rows.length && rows[j]?.caseId === rows[start]?.caseId) continue;
      const facts = caseFacts(rows.slice(start, j), ref);
      all.dispatches.push(...facts.dispatches);
      all.evaluations.push(...facts.evaluations);
      all.answers.push(...facts.answers);
      all.skipped += facts.skipped;
      start = j;
    }
  }
  return all;
}
