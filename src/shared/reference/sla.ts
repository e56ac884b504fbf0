import { z } from 'zod';
import { SlaClass } from '../domain/reference';
import { moreUrgent, Urgency, type ContactType } from '../domain/contact';
import type { Timing } from '../domain/amend';

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

const Named = { nameZh: z.string().min(1), nameEn: z.string().min(1) };

export const UrgencyPolicy = z.object({
  ...Named,
  /** A registered case of this urgency must be dispatched (or answered) within this many minutes. */
  dispatchWithinMinutes: z.number().int().positive(),
});
export type UrgencyPolicy = z.infer<typeof UrgencyPolicy>;

export const ContactTypePolicy = z.object({
  ...Named,
  /** After the unit replied, the citizen is called back and asked (the evaluation); otherwise the case may close on the reply. */
  callbackRequired: z.boolean(),
  /** The type is usually answered at intake (a consultation): the intake offers the direct answer first. */
  answeredAtIntake: z.boolean(),
  /** New cases of this type are confidential unless the operator says otherwise (reports). */
  confidentialByDefault: z.boolean(),
});
export type ContactTypePolicy = z.infer<typeof ContactTypePolicy>;

/** For each SLA class of a category: the class whose deadlines apply at this urgency. */
const ClassMap = z.object({ emergency: SlaClass, utility: SlaClass, general: SlaClass, complex: SlaClass });

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
  urgencies: z.object({ normal: UrgencyPolicy, urgent: UrgencyPolicy, emergency: UrgencyPolicy }),
  /** Deadline by urgency × SLA class: which class's deadlines a case of that urgency and class gets. */
  deadlineClass: z.object({ normal: ClassMap, urgent: ClassMap, emergency: ClassMap }),
  contactTypes: z.object({
    complaint: ContactTypePolicy,
    help: ContactTypePolicy,
    consultation: ContactTypePolicy,
    suggestion: ContactTypePolicy,
    praise: ContactTypePolicy,
    report: ContactTypePolicy,
  }),
  /** A caller who calls again about the same case: after this many repeat calls, at least this urgency. */
  repeatEscalation: z.object({ afterCalls: z.number().int().positive(), to: Urgency }),
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

/** The class whose deadlines a case of this urgency and (category) class gets. */
export function deadlineClassOf(urgency: Urgency, slaClass: SlaClass, policy: SlaPolicy): SlaClass {
  return policy.deadlineClass[urgency][slaClass];
}

/** Deadlines of a dispatch of a case with this urgency and class (an emergency: 2 h, whatever its category). */
export function caseDeadlines(urgency: Urgency, slaClass: SlaClass, dispatchedAt: number, policy: SlaPolicy): Deadlines {
  return computeDeadlines(deadlineClassOf(urgency, slaClass, policy), dispatchedAt, policy);
}

/** By when a case registered at `registeredAt` with this urgency must be dispatched. */
export function dispatchDeadline(urgency: Urgency, registeredAt: number, policy: SlaPolicy): number {
  return registeredAt + policy.urgencies[urgency].dispatchWithinMinutes * MINUTE;
}

export function callbackRequired(type: ContactType, policy: SlaPolicy): boolean {
  return policy.contactTypes[type].callbackRequired;
}

/** The urgency after a repeat call: raised to the policy's level once the caller has called often enough. */
export function escalatedUrgency(urgency: Urgency, repeatCount: number, policy: SlaPolicy): Urgency {
  return repeatCount >= policy.repeatEscalation.afterCalls ? moreUrgent(urgency, policy.repeatEscalation.to) : urgency;
}

export type DeadlineState = 'on_time' | 'at_risk' | 'overdue';

/** Where `now` falls in the window from `start` to `deadline`: overdue after it, at risk near it. */
export function deadlineState(start: number, deadline: number, now: number, policy: SlaPolicy): DeadlineState {
  if (now > deadline) return 'overdue';
  const window = deadline - start;
  return window > 0 && now - start >= window * policy.atRiskFraction ? 'at_risk' : 'on_time';
}

/** The deadlines of a case of this (category) class at any urgency, from the policy; none without one. */
export function timingOf(policy: SlaPolicy | null, slaClass: SlaClass): Timing {
  return {
    dispatchBy: (urgency, registeredAt) => (policy ? dispatchDeadline(urgency, registeredAt, policy) : null),
    deadlines: (urgency, dispatchedAt) => (policy ? caseDeadlines(urgency, slaClass, dispatchedAt, policy) : null),
    escalate: (urgency, repeatCount) => (policy ? escalatedUrgency(urgency, repeatCount, policy) : urgency),
  };
}
