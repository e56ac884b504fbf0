import type http from 'node:http';
import type { Database } from '../db/driver';
import type { TokenClaims, TokenSigner } from '../auth/token';
import { openSession, type SessionRow } from '../store/sessions';
import { HttpError } from './json';

export interface Authenticated {
  claims: TokenClaims & { sid: string };
  session: SessionRow;
}

export function bearerOf(req: http.IncomingMessage): string | null {
  const auth = req.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice(7).trim() : null;
}

/**
 * The staff access token of a request, checked against its session: authentic, unexpired, of an
 * open session (not logged out, not ended by an admin, within its shift). A session whose password
 * must change first is refused everywhere but the password change and logout (`allowMustChange`).
 */
export async function authenticate(
  deps: { db: Database; signer: TokenSigner },
  req: http.IncomingMessage,
  opts: { allowMustChange?: boolean } = {},
): Promise<Authenticated> {
  const token = bearerOf(req);
  const claims = token ? deps.signer.verify(token, 'access') : null;
  if (!claims) throw new HttpError(401, 'unauthenticated', 'a valid access token is required (Authorization: Bearer <token>)');
  const { sid } = claims;
  if (sid === undefined) throw new HttpError(401, 'unauthenticated', 'token without a session; log in again');
  const session = await openSession(deps.db, sid, Date.now());
  if (!session || session.userId !== claims.sub) throw new HttpError(401, 'session_ended', 'the session has ended; log in again');
  if (claims.mcp && !opts.allowMustChange) throw new HttpError(403, 'password_change_required', 'change the password first');
  return { claims: { ...claims, sid }, session };
}
