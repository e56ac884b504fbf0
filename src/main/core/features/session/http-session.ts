import { ApiErrorBody, LoginResponse, SESSION_ENDED } from '../../../../shared/sync/auth';
import { AppFailure } from '../../../../shared/result';
import type { Space } from '../../../../shared/domain/space';
import { renewAt, tokenTimes } from '../../sync/token-times';

const HTTP_TIMEOUT_MS = 10_000;
/** A logout tells the server, but never holds the workstation up for long. */
const LOGOUT_TIMEOUT_MS = 3000;

async function requestJson(url: string, init: RequestInit, timeoutMs = HTTP_TIMEOUT_MS): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    throw new AppFailure('server_unreachable', `cannot reach the central server at ${new URL(url).origin}`);
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = ApiErrorBody.safeParse(json);
    const code = err.success ? err.data.error.code : 'internal';
    const message = err.success ? err.data.error.message : `server answered ${res.status}`;
    if (code === 'invalid_credentials') throw new AppFailure('invalid_credentials', message);
    // Logged out elsewhere, ended by an admin, a replayed refresh token, past the shift: log in again.
    if (code === SESSION_ENDED) throw new AppFailure('session_ended', message);
    if (res.status === 429) throw new AppFailure('too_many_attempts', message);
    if (res.status === 401) throw new AppFailure('unauthenticated', message);
    if (res.status === 403) throw new AppFailure('forbidden', message);
    if (res.status === 400) throw new AppFailure('invalid_input', message);
    throw new AppFailure('internal', message);
  }
  return json;
}

function postJson(url: string, body: unknown, accessToken?: string): Promise<unknown> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (accessToken) headers['authorization'] = `Bearer ${accessToken}`;
  return requestJson(url, { method: 'POST', headers, body: JSON.stringify(body) });
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
  private tokens: { access: string; refresh: string; renewAt: number } | null = null;
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

  /** Forgets the tokens at once and tells the server to end the session (best effort, briefly). */
  async logout(): Promise<void> {
    const access = this.tokens?.access;
    this.tokens = null;
    this.credentials = null;
    if (!access) return;
    await requestJson(`${this.serverUrl}/api/logout`, { method: 'POST', headers: { authorization: `Bearer ${access}` } }, LOGOUT_TIMEOUT_MS).catch(() => undefined);
  }

  /** The server ended the session: nothing of it is kept, and nothing logs in again by itself. */
  ended(): void {
    this.tokens = null;
    this.credentials = null;
  }

  /** Changes the password on the server (the user's other sessions end there); this session goes on with new tokens. */
  async changePassword(currentPassword: string, newPassword: string): Promise<LoginResponse> {
    const access = await this.accessToken();
    const res = LoginResponse.parse(await postJson(`${this.serverUrl}/api/password`, { currentPassword, newPassword }, access));
    this.adopt(res);
    if (this.credentials) this.credentials = { ...this.credentials, password: newPassword };
    return res;
  }

  /** A valid access token, refreshed shortly before it expires; `clockOffsetMs` corrects the PC clock. */
  async accessToken(clockOffsetMs = 0): Promise<string> {
    if (!this.tokens && !this.credentials) throw new AppFailure('not_logged_in', 'not logged in');
    if (this.tokens && this.tokens.renewAt > Date.now() + clockOffsetMs) return this.tokens.access;
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
        // An ended session stays ended: the password held in memory does not open a new one.
        if (error instanceof AppFailure && error.code === 'session_ended') this.ended();
        if (!(error instanceof AppFailure && error.code === 'unauthenticated') || !this.credentials) throw error;
      }
    }
    if (!this.credentials) throw new AppFailure('not_logged_in', 'not logged in');
    return (await this.login(this.credentials)).accessToken;
  }

  private adopt(res: LoginResponse): void {
    this.tokens = { access: res.accessToken, refresh: res.refreshToken, renewAt: renewAt(tokenTimes(res.accessToken)) };
  }
}
