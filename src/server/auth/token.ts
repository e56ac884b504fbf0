import crypto from 'node:crypto';
import { z } from 'zod';
import { Role } from '../../shared/domain/user';
import { Space } from '../../shared/domain/space';
import { LEGACY_KID, type TokenKeyring } from './token-keys';

export const TokenClaims = z.object({
  sub: z.string(),
  role: Role,
  team: z.string(),
  station: z.string(),
  /** The data space the session works in; every store the token reaches is that space's. */
  space: Space.default('live'),
  kind: z.enum(['access', 'refresh']),
  /** The server-side session (a row of \`sessions\`) the token belongs to; every check reads it. */
  sid: z.string().optional(),
  /** Refresh tokens: the single-use id the session expects next (rotated on every refresh). */
  rid: z.string().optional(),
  /** The account must change its password before anything else (an admin's reset, a new account). */
  mcp: z.boolean().optional(),
  iat: z.number().int(),
  exp: z.number().int(),
  /** The key that signed it (absent: the single secret of a server before key ids, see token-keys.ts). */
  kid: z.string().optional(),
});
export type TokenClaims = z.infer<typeof TokenClaims>;

export const ACCESS_TTL_MS = 15 * 60 * 1000;
/** One long shift: a workstation that was offline for a whole shift can still resume. */
export const REFRESH_TTL_MS = 14 * 60 * 60 * 1000;

export interface SignOptions {
  /** Lifetime of this token (default by kind). */
  ttlMs?: number;
  /** The token never outlives this instant (the session's absolute expiry). */
  notAfter?: number;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/** Compact HMAC-SHA256 token: base64url(claims).base64url(mac); the claims name the key (`kid`). */
export class TokenSigner {
  private readonly ring: () => TokenKeyring;

  constructor(
    /** The keyring (read on every use, so a rotation applies at once), or one secret (tests). */
    keys: TokenKeyring | (() => TokenKeyring) | Buffer,
    /** Access token lifetime (HOTLINE_ACCESS_TTL_MS shortens it for tests). */
    readonly accessTtlMs = ACCESS_TTL_MS,
  ) {
    if (Buffer.isBuffer(keys)) {
      const ring = { current: LEGACY_KID, keys: [{ kid: LEGACY_KID, secret: keys }] };
      this.ring = () => ring;
    } else this.ring = typeof keys === 'function' ? keys : () => keys;
  }

  sign(claims: Omit<TokenClaims, 'iat' | 'exp' | 'space' | 'kid'> & { space?: TokenClaims['space'] }, now = Date.now(), opts: SignOptions = {}): string {
    const ring = this.ring();
    const key = ring.keys.find((k) => k.kid === ring.current);
    if (!key) throw new Error(`token key ${ring.current} missing from the keyring`);
    const ttl = opts.ttlMs ?? (claims.kind === 'access' ? this.accessTtlMs : REFRESH_TTL_MS);
    const exp = Math.min(now + ttl, opts.notAfter ?? Number.MAX_SAFE_INTEGER);
    const body = b64(JSON.stringify({ ...claims, space: claims.space ?? 'live', iat: now, exp, kid: key.kid }));
    return `${body}.${mac(key.secret, body)}`;
  }

  /** The claims when the token is authentic (signed by a key still in the ring), unexpired and of the expected kind; otherwise null. */
  verify(token: string, kind: TokenClaims['kind'], now = Date.now()): TokenClaims | null {
    const [body, given, extra] = token.split('.');
    if (!body || !given || extra !== undefined) return null;
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    // The kid only picks the key; nothing else of the body is believed before the MAC matches.
    const kid = typeof json === 'object' && json !== null && 'kid' in json ? json.kid : LEGACY_KID;
    const key = this.ring().keys.find((k) => k.kid === kid);
    if (!key) return null;
    const expected = Buffer.from(mac(key.secret, body));
    const got = Buffer.from(given);
    if (expected.length !== got.length || !crypto.timingSafeEqual(expected, got)) return null;
    const parsed = TokenClaims.safeParse(json);
    if (!parsed.success || parsed.data.kind !== kind || parsed.data.exp <= now) return null;
    return parsed.data;
  }
}

function mac(secret: Buffer, body: string): string {
  return crypto.createHmac('sha256', secret).update(body).digest('base64url');
}
