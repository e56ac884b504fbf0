import type { TokenClaims } from '../auth/token';
import { teamScope, userScope } from '../store/cases';
import { REFERENCE_SCOPE } from '../store/categories';
import { KB_EDIT_SCOPE, KB_SCOPE } from '../store/articles';
import { can } from '../../shared/policy/policy';

/**
 * The scopes a user may pull, granted from the token alone; clients never choose them. Everyone
 * reads the published knowledge base; its editors also the articles being written.
 */
export function scopesFor(user: TokenClaims): string[] {
  const scopes = [REFERENCE_SCOPE, KB_SCOPE, teamScope(user.team), userScope(user.sub)];
  if (can({ id: user.sub, role: user.role, team: user.team, space: user.space }, 'kb.edit')) scopes.push(KB_EDIT_SCOPE);
  return scopes;
}
