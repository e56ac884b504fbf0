import { z } from 'zod';
import { ApiErrorBody, LoginResponse } from '../../../../shared/sync/auth';
import { AppFailure } from '../../../../shared/result';
import type { Space } from '../../../../shared/domain/space';

const REFRESH_MARGIN_MS = 60_000;
const HTTP_TIMEOUT_MS = 10_000;

function tokenExpiry(token: string): number {
  try {
    const claims = z.object({ exp: z.number() }).parse(JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')));
    return claims.exp;
  } catch {
    return 0;
  }
}

async function requestJson(url: string, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  } catch {
    throw new AppFailure('server_unreachable', `cannot reach the central server at ${new URL(url).origin}`);
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = ApiErrorBody.safeParse(json);
    const code = err.success ? err.data.error.code : 'internal';
    const message = err.success ? err.data.error.message : `server answered ${res.status}`;
    if (code === 'invalid_credentials') throw new AppFailure('invalid_credentials', message);
    if (res.status === 401) throw new AppFailure('unauthenticated', message);
    if (res.status === 403) throw new AppFailure('forbidden', message);
    if (res.status === 400) throw new AppFailure('invalid_input', message);
    throw new AppFailure('internal', message);
  }
  return json;
}

function postJson(url: string, body: unknown): Promise<unknown> {
  return requestJson(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** A GET to the central server with the session's access token; errors as AppFailures. */
export function getJson(url: string, accessToken: string): Promise<unknown> {
  return requestJson(url, { method: 'GET', headers: { authorization: `Bearer ${accessToken}` } });
}

export interface Credentials {
  username: string;
  password: string;
  stationKey: string;
  space: Space;
}

/**
 * Holds the tokens of the logged-in user. They stay in the core's memory: the renderer never
 * sees them, and nothing writes them to disk. The credentials of this login are kept in memory
 * too, so that a session begun offline (or whose refresh token ran out during a long outage)
 * gets its tokens as soon as the server is reachable again.
 */
export class HttpSession {
  private tokens: { access: string; refresh: string; accessExp: number } | null = null;
  private credentials: Credentials | null = null;
  private refreshing: Promise<string> | null = null;

  constructor(readonly serverUrl: string) {}

  async login(credentials: Credentials): Promise<LoginResponse> {
    const res = LoginResponse.parse(await postJson(`${this.serverUrl}/api/login`, credentials));
    this.credentials = credentials;
    this.adopt(res);
    return res;
  }

  /** A login the workstation vouched for while the server was unreachable; tokens come later. */
  startOffline(credentials: Credentials): void {
    this.credentials = credentials;
    this.tokens = null;
  }

  logout(): void {
    this.tokens = null;
    this.credentials = null;
  }

  /** A valid access token, refreshed shortly before it expires; `clockOffsetMs` corrects the PC clock. */
  async accessToken(clockOffsetMs = 0): Promise<string> {
    if (!this.tokens && !this.credentials) throw new AppFailure('not_logged_in', 'not logged in');
    if (this.tokens && this.tokens.accessExp - REFRESH_MARGIN_MS > Date.now() + clockOffsetMs) return this.tokens.access;
    this.refreshing ??= this.renew().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async renew(): Promise<string> {
    if (this.tokens) {
      try {
        const res = LoginResponse.parse(await postJson(`${this.serverUrl}/api/refresh`, { refreshToken: this.tokens.refresh }));
        this.adopt(res);
        return res.accessToken;
      } catch (error) {
        if (!(error instanceof AppFailure && error.code === 'unauthenticated') || !this.credentials) throw error;
      }
    }
    if (!this.credentials) throw new AppFailure('not_logged_in', 'not logged in');
    return (await this.login(this.credentials)).accessToken;
  }

  private adopt(res: LoginResponse): void {
    this.tokens = { access: res.accessToken, refresh: res.refreshToken, accessExp: tokenExpiry(res.accessToken) };
  }
}
