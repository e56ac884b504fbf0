import type { TokenClaims } from '../auth/token';
import { teamScope, userScope } from '../store/cases';
import { REFERENCE_SCOPE } from '../store/categories';

/** The scopes a user may pull, granted from the token alone; clients never choose them. */
export function scopesFor(user: TokenClaims): string[] {
  return [REFERENCE_SCOPE, teamScope(user.team), userScope(user.sub)];
}
