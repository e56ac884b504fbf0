import { z } from 'zod';
import { UserInfo } from '../domain/user';
import { Space } from '../domain/space';

/** HTTP login between the workstation core and the central server. */
export const LoginRequest = z.object({
  username: z.string().trim().min(1).max(40),
  password: z.string().min(1).max(200),
  /** Random per workstation install; the server maps it to a station code. */
  stationKey: z.uuid(),
  /** The data space to work in (practice or the city's live cases). */
  space: Space.default('live'),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  user: UserInfo,
  station: z.string(),
  space: Space.default('live'),
  serverTime: z.number().int(),
  /** An admin reset the password (or made the account): nothing but a password change until it is changed. */
  mustChangePassword: z.boolean().default(false),
  /** When the session ends at the latest (one shift after the login), server time. */
  sessionExpiresAt: z.number().int().optional(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(4096) });

/** A password someone chooses: long enough, not absurdly long. */
export const NewPassword = z.string().min(8, 'password_too_short').max(200);

/** `POST /api/password` with the session's access token: ends the user's other sessions; answers new tokens. */
export const PasswordChangeRequest = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: NewPassword,
});
export type PasswordChangeRequest = z.infer<typeof PasswordChangeRequest>;

/**
 * 401 codes the workstation tells apart: `session_ended` (logged out, ended by an admin, a replayed
 * refresh token, past its shift) means log in again; `unauthenticated` (a token it cannot use) may
 * be answered by logging in with the credentials it holds.
 */
export const SESSION_ENDED = 'session_ended';

export const ApiErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
