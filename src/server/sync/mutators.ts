import { stepOf, type MutationArgsOf, type MutationName, type StepMutationName } from '../../shared/sync/mutations';
import { caseClash, findCase, insertCase, saveCase } from '../store/cases';
import { findUserById } from '../store/users';
import { registeredCase, type CaseRecord } from '../../shared/domain/case';
import { amended, callbackAttempted, callerRevealed, repeatCalled, type AmendContext, type Timing } from '../../shared/domain/amend';
import { timingOf } from '../../shared/reference/sla';
import { SlaClass } from '../../shared/domain/reference';
import { isOpen } from '../../shared/domain/lifecycle';
import type { StepContext } from '../../shared/domain/lifecycle';
import { compactAnswers } from '../../shared/reference/intake';
import { StepRefused, takeStep } from '../lifecycle/steps';
import { holdRefusal } from '../../shared/policy/policy';
import { authorize, knownCategory, MutationRejected, parseArgs, type MutationContext, type Mutator } from './mutation-base';
import { kbMutators } from './kb-mutators';

export { MutationRejected, type MutationContext } from './mutation-base';
import { reassigned } from '../../shared/domain/assignment';
import { numberPrefix } from '../../shared/domain/space';

const createCase: Mutator = async (ctx, raw) => {
  const given = parseArgs('createCase', raw);
  // A workstation that has not pulled the taxonomy since an overlap was merged may still send the retired code.
  const args = { ...given, categoryCode: ctx.ref.currentCategoryCode(given.categoryCode) };
  authorize(ctx, 'case.create');
  const prefix = numberPrefix(ctx.user.space, ctx.station);
  if (!args.number.startsWith(`${prefix}-`)) {
    throw new MutationRejected('bad_number', `case number ${args.number} does not belong to station ${ctx.station} in the ${ctx.user.space} space (${prefix}-…)`);
  }
  if (!(await knownCategory(ctx, args.categoryCode))) {
    throw new MutationRejected('unknown_category', `category ${args.categoryCode} does not exist`);
  }
  const clash = await caseClash(ctx.q, args.id, args.number);
  if (clash === 'id') throw new MutationRejected('duplicate_id', `case ${args.id} already exists`);
  if (clash === 'number') throw new MutationRejected('number_taken', `case number ${args.number} is already used`);
  // The operator's moment of intake, bounded so a wrong PC clock cannot date a case in the future.
  const createdAt = Math.min(args.createdAt, ctx.now);
  const record = registeredCase(
    { ...args, answers: compactAnswers(args.answers) },
    {
      channel: 'phone',
      createdBy: ctx.user.sub,
      team: ctx.user.team,
      station: ctx.station,
      createdAt,
      at: ctx.now,
      dispatchBy: ctx.ref.dispatchBy(args.urgency, createdAt),
      // Whoever registers a case holds it until a lead hands it on.
      assignee: ctx.user.sub,
      slaClass: ctx.ref.category(args.categoryCode)?.slaClass ?? null,
      ...ctx.ref.locate(args.address),
      actor: staffActor(ctx),
    },
  );
  // Answers are kept as given: the workstation checked them against the questions it had, and
  // refusing here (the questions may have changed while it was offline) would lose the case.
  await insertCase(ctx.q, ctx.rec, record);
};

const reassignCase: Mutator = async (ctx, raw) => {
  const args = parseArgs('reassignCase', raw);
  authorize(ctx, 'case.reassign');
  const current = await findCase(ctx.q, args.caseId);
  if (!current) throw new MutationRejected('not_found', `case ${args.caseId} does not exist`);
  if (current.rev !== args.expectedRev) {
    throw new MutationRejected('conflict', `case ${current.number} changed since you saw it (revision ${args.expectedRev} → ${current.rev})`, current);
  }
  const target = await findUserById(ctx.q, args.toUserId);
  const refusal = target ? holdRefusal(target, ctx.user.space) : 'no such user';
  if (!target || refusal !== null) throw new MutationRejected('invalid_args', `user ${args.toUserId} cannot take cases: ${refusal ?? ''}`);
  // Within the case's team; an admin may move it to the target's team, saying so.
  authorize(ctx, 'case.reassign', { caseTeam: current.team, targetTeam: target.team, acrossTeams: args.acrossTeams });
  const toTeam = args.acrossTeams === true ? target.team : current.team;
  await saveCase(ctx.q, ctx.rec, current, reassigned(current, target.id, { at: ctx.now, actor: { id: ctx.user.sub, station: ctx.station } }, toTeam));
};

function staffActor(ctx: MutationContext): StepContext['actor'] {
  return { kind: 'staff', id: ctx.user.sub, station: ctx.station };
}

/**
 * A lifecycle step from a workstation: intent-checked against `expectedRev`, then the shared
 * transition. Operators act on their team's cases; leads and admins on any.
 */
function stepMutator(name: StepMutationName): Mutator {
  return async (ctx, raw) => {
    const args = parseArgs(name, raw);
    authorize(ctx, 'case.step');
    const current = await findCase(ctx.q, args.caseId);
    if (!current) throw new MutationRejected('not_found', `case ${args.caseId} does not exist`);
    authorize(ctx, 'case.step', { caseTeam: current.team });
    if (current.rev !== args.expectedRev) {
      throw new MutationRejected('conflict', `case ${current.number} changed since you saw it (revision ${args.expectedRev} → ${current.rev})`, current);
    }
    try {
      await takeStep(ctx.q, ctx.rec, ctx.ref, current, stepOf(name, args), { at: ctx.now, actor: staffActor(ctx) });
    } catch (error) {
      if (error instanceof StepRefused) throw new MutationRejected(error.code === 'wrong_actor' ? 'forbidden' : error.code, error.message);
      throw error;
    }
  };
}

/** The deadlines of a case at any urgency, from the server's SLA policy. */
function timingFor(ctx: MutationContext, record: CaseRecord): Timing {
  const slaClass = SlaClass.safeParse(record.slaClass ?? ctx.ref.category(record.categoryCode)?.slaClass);
  return timingOf(ctx.ref.sla, slaClass.success ? slaClass.data : 'general');
}

/**
 * A change to a case's record that is not a lifecycle step (its intake fields, a repeat call, a
 * look at a confidential caller): the policy on the case's team, then the shared function.
 * Last writer wins; the timeline keeps every change.
 */
function amendMutator<N extends 'amendCase' | 'repeatCall' | 'revealCaller'>(
  name: N,
  action: 'case.step' | 'case.reveal',
  apply: (record: CaseRecord, args: MutationArgsOf<N>, ctx: AmendContext, timing: Timing) => CaseRecord,
): Mutator {
  return async (ctx, raw) => {
    const args = parseArgs(name, raw) as MutationArgsOf<N>;
    authorize(ctx, action);
    const current = await findCase(ctx.q, args.caseId);
    if (!current) throw new MutationRejected('not_found', `case ${args.caseId} does not exist`);
    authorize(ctx, action, { caseTeam: current.team });
    if (name === 'repeatCall' && !isOpen(current.status)) {
      throw new MutationRejected('illegal_transition', `case ${current.number} is ${current.status}: a new call about it is a new case or a reopening`);
    }
    const next = apply(current, args, { at: ctx.now, actor: { id: ctx.user.sub, station: ctx.station } }, timingFor(ctx, current));
    if (next !== current) await saveCase(ctx.q, ctx.rec, current, next);
  };
}

/** A callback that reached nobody: only while the case waits for its callback, on the revision the operator saw. */
const callbackAttempt: Mutator = async (ctx, raw) => {
  const { caseId, expectedRev, ...attempt } = parseArgs('callbackAttempt', raw);
  authorize(ctx, 'case.step');
  const current = await findCase(ctx.q, caseId);
  if (!current) throw new MutationRejected('not_found', `case ${caseId} does not exist`);
  authorize(ctx, 'case.step', { caseTeam: current.team });
  if (current.rev !== expectedRev) {
    throw new MutationRejected('conflict', `case ${current.number} changed since you saw it (revision ${expectedRev} → ${current.rev})`, current);
  }
  if (current.status !== 'replied') throw new MutationRejected('illegal_transition', `case ${current.number} is ${current.status}: it does not wait for a callback`);
  await saveCase(ctx.q, ctx.rec, current, callbackAttempted(current, attempt, { at: ctx.now, actor: { id: ctx.user.sub, station: ctx.station } }));
};

export const serverMutators: Record<MutationName, Mutator> = {
  createCase,
  reassignCase,
  answerCase: stepMutator('answerCase'),
  dispatchCase: stepMutator('dispatchCase'),
  evaluateCase: stepMutator('evaluateCase'),
  closeCase: stepMutator('closeCase'),
  reopenCase: stepMutator('reopenCase'),
  mergeCase: stepMutator('mergeCase'),
  amendCase: amendMutator('amendCase', 'case.step', (record, args, ctx, t) => amended(record, args.changes, ctx, t)),
  repeatCall: amendMutator('repeatCall', 'case.step', (record, args, ctx, t) => repeatCalled(record, args.note, ctx, t)),
  revealCaller: amendMutator('revealCaller', 'case.reveal', (record, args, ctx) => callerRevealed(record, args.reason, ctx)),
  callbackAttempt,
  ...kbMutators,
};
