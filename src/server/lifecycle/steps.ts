import type { Queryable } from '../db/driver';
import type { ChangeRecorder } from '../store/changes';
import { findCase, saveCase } from '../store/cases';
import { findArticle } from '../store/articles';
import type { CaseRecord } from '../../shared/domain/case';
import { absorb, checkStep, isOpen, transition, type Step, type StepContext } from '../../shared/domain/lifecycle';
import type { ReferenceSet } from '../reference/reference-set';
import { callbackRequired } from '../../shared/reference/sla';

/** A step refused for a reason the actor must be told (maps to a rejection or an HTTP error). */
export class StepRefused extends Error {
  constructor(
    readonly code: 'illegal_transition' | 'wrong_actor' | 'invalid_step' | 'unknown_unit' | 'not_found',
    message: string,
  ) {
    super(message);
    this.name = 'StepRefused';
  }
}

/**
 * Takes a lifecycle step on a case the caller has read in this transaction: the checks that need
 * data beyond the case (the unit exists, the merge target is open), the deadlines of a dispatch
 * from the SLA policy, then the shared transition; stores the case (and, for a merge, the target).
 */
export async function takeStep(
  q: Queryable,
  rec: ChangeRecorder,
  ref: ReferenceSet,
  current: CaseRecord,
  step: Step,
  ctx: StepContext,
): Promise<CaseRecord> {
  const refused = checkStep(current.status, step, ctx.actor.kind);
  if (refused) throw new StepRefused(refused.code, refused.message);
  let deadlines: StepContext['deadlines'] = null;
  let target: CaseRecord | undefined;
  if (step.action === 'dispatch') {
    if (!ref.unit(step.unitId)) throw new StepRefused('unknown_unit', `unit ${step.unitId} does not exist`);
    // The case's urgency decides with its class (an emergency: the emergency deadlines, whatever its category).
    deadlines = ref.caseDeadlines(current, ctx.at);
  }
  if (step.action === 'close' && current.status === 'replied' && callbackRequired(current.contactType, ref.sla)) {
    throw new StepRefused('invalid_step', `a ${current.contactType} is called back and evaluated before it closes`);
  }
  if (step.action === 'answer' && ref.category(current.categoryCode)?.directAnswer !== true) {
    throw new StepRefused('invalid_step', `category ${current.categoryCode} is not answered at intake; dispatch it`);
  }
  // The article read on the call must be one the knowledge base holds (it may have been retired since: the answer stands).
  if (step.action === 'answer' && step.article && !(await findArticle(q, step.article.id))) {
    throw new StepRefused('not_found', `article ${step.article.id} is not in the knowledge base`);
  }
  if (step.action === 'merge') {
    target = await findCase(q, step.intoCaseId);
    if (!target) throw new StepRefused('not_found', `case ${step.intoNumber} does not exist`);
    if (!isOpen(target.status)) throw new StepRefused('invalid_step', `case ${target.number} is ${target.status}; merge into an open case`);
    // A duplicate joins a case of its own team: another team's case is not this actor's to change.
    if (target.team !== current.team) throw new StepRefused('wrong_actor', `case ${target.number} belongs to team ${target.team}, not ${current.team}; merge into a case of the same team`);
    if (target.number !== step.intoNumber) throw new StepRefused('invalid_step', `case ${step.intoCaseId} is ${target.number}, not ${step.intoNumber}`);
  }
  let next: CaseRecord;
  try {
    next = transition(current, step, { ...ctx, deadlines });
  } catch (error) {
    if (error instanceof Error && 'code' in error) throw new StepRefused((error as { code: StepRefused['code'] }).code, error.message);
    throw error;
  }
  await saveCase(q, rec, current, next);
  if (target) await saveCase(q, rec, target, absorb(target, current, ctx));
  return next;
}
