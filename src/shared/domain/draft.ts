import { z } from 'zod';
import { CallerLanguage, ContactType, Urgency } from './contact';

/**
 * The intake form as the operator left it, field by field, before anything is checked: kept on
 * the workstation as they type, so a crash, a restart or a wrong Esc loses nothing. Bounded, but
 * looser than a case (the description may be longer than a case keeps: the form says what a save
 * would cut).
 */
export const DraftFields = z
  .object({
    callerPhone: z.string().max(40),
    callerName: z.string().max(100),
    categoryCode: z.string().max(40),
    address: z.string().max(400),
    description: z.string().max(20_000),
    answers: z.record(z.string().max(40), z.string().max(1000)),
    contactType: ContactType,
    urgency: Urgency,
    language: CallerLanguage,
    interpreter: z.boolean(),
    anonymous: z.boolean(),
    confidential: z.boolean(),
    callbackPhone: z.string().max(40),
    callbackFrom: z.string().max(5),
    callbackTo: z.string().max(5),
    /** The number that rang, when intake opened from a call. */
    callFrom: z.string().max(40),
  })
  .partial()
  .strict();
export type DraftFields = z.infer<typeof DraftFields>;

export const Draft = z.object({
  id: z.uuid(),
  fields: DraftFields,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Draft = z.infer<typeof Draft>;
