import { z } from 'zod';
import { CaseNumber, CaseDraft } from '../domain/case';
import { STEP_SCHEMAS, type LifecycleAction, type Step } from '../domain/lifecycle';
import type { EntityRef } from './entities';
import { CallbackAttempt, CaseChanges, RepeatCallNote, RevealReason } from '../domain/amend';
import { ArticleContent } from '../domain/article';

const Intent = { caseId: z.uuid(), expectedRev: z.number().int().positive() };

// A staff step on a case as a mutation: the step's fields, the case, and the revision it expects.

/**
 * Mutation names and their argument schemas. A mutation is the unit of sync: the workstation
 * applies it optimistically and queues it; the server applies it authoritatively.
 */
export const MutationArgs = {
  createCase: CaseDraft.extend({
    id: z.uuid(),
    number: CaseNumber,
    createdAt: z.number().int().positive(),
  }),
  /** A lead hands a case to another operator; refused if the case moved on since `expectedRev`. */
  reassignCase: z.object({
    caseId: z.uuid(),
    toUserId: z.string().min(1).max(64),
    expectedRev: z.number().int().positive(),
    /** An admin moves the case to the target user's team (refused otherwise when the teams differ). */
    acrossTeams: z.boolean().optional(),
  }),
  // Lifecycle steps the hotline takes (units take theirs through the unit API); all intent-checked.
  answerCase: STEP_SCHEMAS.answer.omit({ action: true }).extend(Intent),
  dispatchCase: STEP_SCHEMAS.dispatch.omit({ action: true }).extend(Intent),
  evaluateCase: STEP_SCHEMAS.evaluate.omit({ action: true }).extend(Intent),
  closeCase: STEP_SCHEMAS.close.omit({ action: true }).extend(Intent),
  reopenCase: STEP_SCHEMAS.reopen.omit({ action: true }).extend(Intent),
  mergeCase: STEP_SCHEMAS.merge.omit({ action: true }).extend(Intent),
  /** Intake fields changed after registration (type, urgency, language …): last writer wins, with the audit trail. */
  amendCase: z.object({ caseId: z.uuid(), changes: CaseChanges }),
  /** The caller called again about this case: a repeat call, not a second case. */
  repeatCall: z.object({ caseId: z.uuid(), note: RepeatCallNote }),
  /** A look at a confidential caller's identity, with the reason. */
  revealCaller: z.object({ caseId: z.uuid(), reason: RevealReason }),
  /** A callback that reached nobody, and when to try again (intent-checked: the case must still wait for it). */
  callbackAttempt: CallbackAttempt.extend(Intent),
  /**
   * A knowledge editor saves a new version of an article (a new one: baseVersion 0). Refused as a
   * conflict when another editor saved since `baseVersion`: nothing is overwritten silently.
   */
  saveArticle: z.object({ id: z.string().min(3).max(90), content: ArticleContent, baseVersion: z.number().int().nonnegative() }),
  /** Publishes the latest version (it must still be `expectedVersion`). */
  publishArticle: z.object({ id: z.string().min(3).max(90), expectedVersion: z.number().int().positive() }),
  /** Takes the article out of the knowledge base (its history stays). */
  retireArticle: z.object({ id: z.string().min(3).max(90), expectedVersion: z.number().int().positive() }),
  /** Makes an earlier version the latest again, as a new version (publish it to put it live). */
  restoreArticle: z.object({ id: z.string().min(3).max(90), fromVersion: z.number().int().positive(), expectedVersion: z.number().int().positive() }),
} as const;

export type MutationName = keyof typeof MutationArgs;
export const MutationName = z.enum(Object.keys(MutationArgs) as [MutationName, ...MutationName[]]);
export type MutationArgsOf<N extends MutationName> = z.infer<(typeof MutationArgs)[N]>;

/** The lifecycle mutations and the step each one takes. */
export const STEP_MUTATIONS = {
  answerCase: 'answer',
  dispatchCase: 'dispatch',
  evaluateCase: 'evaluate',
  closeCase: 'close',
  reopenCase: 'reopen',
  mergeCase: 'merge',
} as const satisfies Partial<Record<MutationName, LifecycleAction>>;
export type StepMutationName = keyof typeof STEP_MUTATIONS;

/** The mutation that carries each staff step (STEP_MUTATIONS the other way round). */
export const MUTATION_OF_STEP = Object.fromEntries(Object.entries(STEP_MUTATIONS).map(([name, action]) => [action, name])) as {
  [N in StepMutationName as (typeof STEP_MUTATIONS)[N]]: N;
};

/** The step a lifecycle mutation's (parsed) args describe. */
export function stepOf(name: StepMutationName, args: MutationArgsOf<StepMutationName>): Step {
  const { caseId: _c, expectedRev: _r, ...fields } = args;
  return { action: STEP_MUTATIONS[name], ...fields } as Step;
}

/**
 * The entities each mutation touches: what a rebase must recompute when it is confirmed or
 * dropped. Every mutation declares it here (the compiler asks for a new one's).
 */
const TOUCHES: { [N in MutationName]: (args: MutationArgsOf<N>) => EntityRef[] } = {
  createCase: (a) => [{ entity: 'case', id: a.id }],
  reassignCase: (a) => [{ entity: 'case', id: a.caseId }],
  answerCase: (a) => [{ entity: 'case', id: a.caseId }],
  dispatchCase: (a) => [{ entity: 'case', id: a.caseId }],
  evaluateCase: (a) => [{ entity: 'case', id: a.caseId }],
  closeCase: (a) => [{ entity: 'case', id: a.caseId }],
  reopenCase: (a) => [{ entity: 'case', id: a.caseId }],
  mergeCase: (a) => [
    { entity: 'case', id: a.caseId },
    { entity: 'case', id: a.intoCaseId },
  ],
  amendCase: (a) => [{ entity: 'case', id: a.caseId }],
  repeatCall: (a) => [{ entity: 'case', id: a.caseId }],
  revealCaller: (a) => [{ entity: 'case', id: a.caseId }],
  callbackAttempt: (a) => [{ entity: 'case', id: a.caseId }],
  saveArticle: (a) => [{ entity: 'articleDraft', id: a.id }],
  publishArticle: (a) => [
    { entity: 'articleDraft', id: a.id },
    { entity: 'article', id: a.id },
  ],
  retireArticle: (a) => [
    { entity: 'articleDraft', id: a.id },
    { entity: 'article', id: a.id },
  ],
  restoreArticle: (a) => [{ entity: 'articleDraft', id: a.id }],
};

/** Entities a mutation (with parsed args, as stored in the outbox) touches. */
export function touchedEntities(name: MutationName, args: unknown): EntityRef[] {
  return (TOUCHES[name] as (args: unknown) => EntityRef[])(args);
}

/** Case ids a mutation touches. */
export function touchedCaseIds(name: MutationName, args: unknown): string[] {
  return touchedEntities(name, args)
    .filter((r) => r.entity === 'case')
    .map((r) => r.id);
}

/** Mutations whose args carry `expectedRev`: a conflict can be redone on the current state. */
export function hasExpectedRev(name: MutationName): boolean {
  return 'expectedRev' in MutationArgs[name].shape;
}

export function withExpectedRev(name: MutationName, args: unknown, rev: number): unknown {
  return hasExpectedRev(name) ? { ...(args as { expectedRev: number }), expectedRev: rev } : null;
}
