/**
 * The authorization matrix: every credential × every staff HTTP endpoint and the sync socket,
 * allowed or refused. One table; `authz-matrix.test.ts` asserts each cell on SQLite and
 * PostgreSQL. "Allowed" means the request got past authentication and the policy (any answer
 * but 401 and 403; a socket: connected); "refused" means 401/403 (a socket: connect_error).
 */
export const CREDENTIALS = ['operator', 'lead', 'trainer', 'editor', 'admin', 'unitKey', 'open311Key', 'none', 'expired', 'revoked', 'mustChange'] as const;
export type Credential = (typeof CREDENTIALS)[number];

export interface Target {
  /** What the row calls: `GET /api/rates…`, or `socket` for the sync handshake. */
  name: string;
  method: 'GET' | 'POST' | 'SOCKET';
  /** Path with `{article}`, `{user}` placeholders the test fills in. */
  path: string;
  body?: unknown;
  allowed: readonly Credential[];
}

const STAFF: readonly Credential[] = ['operator', 'lead', 'trainer', 'editor', 'admin'];

export const MATRIX: readonly Target[] = [
  { name: 'rates', method: 'GET', path: '/api/rates?from=0&to=1000', allowed: ['lead', 'admin'] },
  { name: 'server case search', method: 'GET', path: '/api/cases/search?q=noise', allowed: ['operator', 'lead', 'admin'] },
  { name: 'knowledge-base history', method: 'GET', path: '/api/kb/articles/{article}/versions', allowed: ['editor', 'admin'] },
  { name: 'admin: users', method: 'GET', path: '/api/admin/users', allowed: ['admin'] },
  { name: 'admin: sessions', method: 'GET', path: '/api/admin/sessions', allowed: ['admin'] },
  { name: 'admin: audit', method: 'GET', path: '/api/admin/audit', allowed: ['admin'] },
  // An empty body: a caller past the checks gets 400, anyone else 401/403.
  { name: 'admin: create user', method: 'POST', path: '/api/admin/users', body: {}, allowed: ['admin'] },
  { name: 'admin: deactivate', method: 'POST', path: '/api/admin/users/{user}/active', body: {}, allowed: ['admin'] },
  { name: 'admin: reset password', method: 'POST', path: '/api/admin/users/{user}/password', body: {}, allowed: ['admin'] },
  { name: 'admin: role and team', method: 'POST', path: '/api/admin/users/{user}/role', body: {}, allowed: ['admin'] },
  { name: 'admin: end a user’s sessions', method: 'POST', path: '/api/admin/users/{nobody}/sessions/end', allowed: ['admin'] },
  { name: 'password change', method: 'POST', path: '/api/password', body: {}, allowed: [...STAFF, 'mustChange'] },
  { name: 'unit API: cases', method: 'GET', path: '/api/units/v1/cases', allowed: ['unitKey'] },
  { name: 'sync socket', method: 'SOCKET', path: '', allowed: STAFF },
];
