import { z } from 'zod';
import { CaseNumber, CaseDraft } from '../domain/case';

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
  }),
} as const;

export type MutationName = keyof typeof MutationArgs;
export const MutationName = z.enum(Object.keys(MutationArgs) as [MutationName, ...MutationName[]]);
export type MutationArgsOf<N extends MutationName> = z.infer<(typeof MutationArgs)[N]>;

/** Case ids a mutation touches: what a rebase must recompute when it is confirmed or dropped. */
const touchers: Record<MutationName, (args: unknown) => string[]> = {
  createCase: (args) => [(args as MutationArgsOf<'createCase'>).id],
  reassignCase: (args) => [(args as MutationArgsOf<'reassignCase'>).caseId],
};

/** Mutations whose args carry `expectedRev`: a conflict can be redone on the current state. */
export function hasExpectedRev(name: MutationName): boolean {
  return name === 'reassignCase';
}

export function withExpectedRev(name: MutationName, args: unknown, rev: number): unknown {
  return hasExpectedRev(name) ? { ...(args as MutationArgsOf<'reassignCase'>), expectedRev: rev } : null;
}

export function touchedCaseIds(name: MutationName, args: unknown): string[] {
  return touchers[name](args);
}
