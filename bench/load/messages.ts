import { z } from 'zod';

/**
 * What the load test's orchestrator and its workstation processes say to each other, one JSON
 * object per line (orchestrator → stdin, workstation process → stdout). Checked on both ends.
 */

export const OperatorSpec = z.object({ username: z.string(), team: z.string(), lead: z.boolean() });
export type OperatorSpec = z.infer<typeof OperatorSpec>;

export const SimConfig = z.object({
  nodes: z.array(z.url()).min(1),
  password: z.string(),
  operators: z.array(OperatorSpec),
  /** Index of this process's first operator in the whole floor (spreads clients over nodes). */
  offset: z.number().int().nonnegative(),
});
export type SimConfig = z.infer<typeof SimConfig>;

export const Command = z.discriminatedUnion('t', [
  /** Operator `op` registers a case (and dispatches it in the same push when `unitId` is set). */
  z.object({
    t: z.literal('create'),
    op: z.number().int(),
    caseId: z.uuid(),
    categoryCode: z.string(),
    address: z.string(),
    description: z.string(),
    unitId: z.string().nullable(),
  }),
  /** The callback: evaluate (resolved, satisfied) and close, at the revision this workstation holds. */
  z.object({ t: z.literal('close'), op: z.number().int(), caseId: z.uuid() }),
  /** A lead hands a case to another operator of the team. */
  z.object({ t: z.literal('reassign'), op: z.number().int(), caseId: z.uuid(), toUserId: z.string() }),
  /** Push everything queued (callbacks still waiting for their reply too), then say so. */
  z.object({ t: z.literal('drain') }),
  /** Pull to the end (every process drained), then report every workstation's view. */
  z.object({ t: z.literal('finish') }),
  z.object({ t: z.literal('quit') }),
]);
export type Command = z.infer<typeof Command>;

export const OperatorReady = z.object({ op: z.number().int(), userId: z.string(), team: z.string(), station: z.string(), node: z.number().int() });

export const View = z.object({ userId: z.string(), team: z.string(), teamDigest: z.string(), teamCount: z.number().int(), outbox: z.number().int() });
export type View = z.infer<typeof View>;

export const Report = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready'), operators: z.array(OperatorReady), initialSyncMs: z.number() }),
  /** A mutation's outcome: `sentAt` is when the command reached the workstation (its outbox). */
  z.object({
    t: z.literal('ack'),
    kind: z.enum(['create', 'dispatch', 'evaluate', 'close', 'reassign']),
    caseId: z.string(),
    number: z.string().optional(),
    sentAt: z.number(),
    ackAt: z.number(),
    status: z.enum(['applied', 'rejected', 'duplicate']),
    reason: z.string().optional(),
  }),
  /** Workstations of this process that saw these cases for the first time: [caseId, last seen at, count]. */
  z.object({ t: z.literal('seen'), items: z.array(z.tuple([z.string(), z.number(), z.number().int()])) }),
  /** A workstation whose node went away pushed or pulled again through another one. */
  z.object({ t: z.literal('reconnected'), op: z.number().int(), downAt: z.number(), upAt: z.number(), node: z.number().int() }),
  z.object({
    t: z.literal('views'),
    views: z.array(View),
  }),
  z.object({ t: z.literal('drained'), outbox: z.number().int(), offline: z.number().int() }),
  z.object({ t: z.literal('error'), message: z.string() }),
]);
export type Report = z.infer<typeof Report>;

/** A team's cases as `id:rev` lines, sorted, hashed: equal digests mean equal views. */
export function viewDigest(entries: Iterable<[string, number]>, hash: (s: string) => string): string {
  const lines = Array.from(entries, ([id, rev]) => `${id}:${rev}`).sort();
  return hash(lines.join('\n'));
}
