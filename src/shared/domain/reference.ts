import { z } from 'zod';

export const SlaClass = z.enum(['emergency', 'utility', 'general', 'complex']);
export type SlaClass = z.infer<typeof SlaClass>;

export const Category = z.object({
  code: z.string().min(1).max(40),
  parent: z.string().nullable(),
  nameZh: z.string().min(1),
  nameEn: z.string().min(1),
  slaClass: SlaClass,
  directAnswer: z.boolean(),
});
export type Category = z.infer<typeof Category>;
