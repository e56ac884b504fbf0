import { digitsOf, indexText, reversed } from '../../../shared/search/tokens';

/** What a case row keeps for search: phone digits (and reversed, for suffixes), the number reversed, the full text. */
export interface CaseSearchKeys {
  phoneDigits: string;
  phoneRev: string;
  numberRev: string;
  body: string;
}

export function caseSearchKeys(c: { number: string; callerPhone: string; callerName: string; address: string; description: string; callbackPhone?: string | null }): CaseSearchKeys {
  const phoneDigits = digitsOf(c.callerPhone);
  return {
    phoneDigits,
    phoneRev: reversed(phoneDigits),
    numberRev: reversed(digitsOf(c.number)),
    // The callback number is findable too (as a whole); the name, address and description by any part.
    body: indexText(c.callerName, c.address, c.description, c.callbackPhone ? digitsOf(c.callbackPhone) : null),
  };
}
