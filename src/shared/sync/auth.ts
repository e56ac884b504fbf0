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
});
export type LoginResponse = z.infer<typeof LoginResponse>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(4096) });

export const ApiErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
