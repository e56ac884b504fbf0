import { z } from 'zod';
import type { SlaClass } from '../domain/reference';

const MINUTE = 60_000;

export const SlaClassPolicy = z
  .object({
    nameZh: z.string().min(1),
    nameEn: z.string().min(1),
    /** The unit must sign for (accept) the case within this many minutes of dispatch. */
    signWithinMinutes: z.number().int().positive(),
    /** The unit must reply within this many minutes of dispatch. */
    replyWithinMinutes: z.number().int().positive(),
  })
  .refine((c) => c.signWithinMinutes <= c.replyWithinMinutes, { error: 'sign_after_reply', path: ['signWithinMinutes'] });
export type SlaClassPolicy = z.infer<typeof SlaClassPolicy>;

/**
 * Deadlines per SLA class. `clock: 'calendar'` means plain elapsed time from dispatch — nights,
 * weekends and holidays count — which is how the hotline's reply deadlines are stated; a
 * working-time clock would be a new value here, not a code change elsewhere.
 */
export const SlaPolicy = z.object({
  $comment: z.string().optional(),
  clock: z.literal('calendar'),
  /** Share of a deadline's window after which an open case counts as at risk (shift lead's queue). */
  atRiskFraction: z.number().gt(0).lt(1),
  classes: z.object({
    emergency: SlaClassPolicy,
    utility: SlaClassPolicy,
    general: SlaClassPolicy,
    complex: SlaClassPolicy,
  }),
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;

export interface Deadlines {
  /** Epoch ms by which the unit must sign for the case. */
  signBy: number;
  /** Epoch ms by which the unit must reply. */
  replyBy: number;
}

/** Deadlines of a case dispatched at `dispatchedAt` (epoch ms), in calendar time. */
export function computeDeadlines(slaClass: SlaClass, dispatchedAt: number, policy: SlaPolicy): Deadlines {
  const c = policy.classes[slaClass];
  return { signBy: dispatchedAt + c.signWithinMinutes * MINUTE, replyBy: dispatchedAt + c.replyWithinMinutes * MINUTE };
}

export type DeadlineState = 'on_time' | 'at_risk' | 'overdue';

/** Where `now` falls in the window from `start` to `deadline`: overdue after it, at risk near it. */
export function deadlineState(start: number, deadline: number, now: number, policy: SlaPolicy): DeadlineState {
  if (now > deadline) return 'overdue';
  const window = deadline - start;
  return window > 0 && now - start >= window * policy.atRiskFraction ? 'at_risk' : 'on_time';
}
