import { z } from 'zod';
import { CaseRecord } from '../domain/case';

/** The server's case search: cases beyond a workstation's cache (older ones, a caller's history). */
export const CASE_SEARCH_PATH = '/api/cases/search';

export const CaseSearchQuery = z
  .object({
    /** A case number, a phone number (its digits), or words of the address or description. */
    q: z.string().trim().min(1).max(100),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();
export type CaseSearchQuery = z.infer<typeof CaseSearchQuery>;

/** A case as the server's search gives it: its record, with a confidential caller withheld unless this user may see them. */
export const FoundCase = CaseRecord.extend({ callerHidden: z.boolean() });
export type FoundCase = z.infer<typeof FoundCase>;

export const CaseSearchResult = z.object({
  cases: z.array(FoundCase),
  /** How the query was read: by number, by phone, or by words. */
  matchedBy: z.enum(['number', 'phone', 'text']),
});
export type CaseSearchResult = z.infer<typeof CaseSearchResult>;
