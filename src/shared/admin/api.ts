import { z } from 'zod';
import { Role, Username } from '../domain/user';
import { NewPassword } from '../sync/auth';
import { Space } from '../domain/space';

/**
 * The user administration HTTP API (`/api/admin/…`, admin role, live space, every change audited).
 * Shared by the server (validation) and the workstation core (its client).
 */
export const ADMIN_PREFIX = '/api/admin';

/** Roles an admin may give: every role but the server's own service accounts. */
export const AssignableRole = Role.exclude(['service']);
export type AssignableRole = z.infer<typeof AssignableRole>;

export const Team = z.string().trim().min(1).max(40).regex(/^[a-z0-9._-]+$/, 'team_format');

export const AdminUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  team: z.string(),
  active: z.boolean(),
  mustChangePassword: z.boolean(),
  /** Sessions open now (not ended, within their shift). */
  openSessions: z.number().int().nonnegative(),
});
export type AdminUser = z.infer<typeof AdminUser>;

export const AdminSession = z.object({
  id: z.string(),
  userId: z.string(),
  username: z.string(),
  station: z.string(),
  space: Space,
  createdAt: z.number().int(),
  lastSeenAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type AdminSession = z.infer<typeof AdminSession>;

export const AuditRow = z.object({
  id: z.string(),
  at: z.number().int(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditRow = z.infer<typeof AuditRow>;

/** `POST /api/admin/users`: a new account, which must change its password at first login. */
export const CreateUserRequest = z.object({
  username: Username,
  displayName: z.string().trim().min(1).max(60),
  role: AssignableRole,
  team: Team,
  password: NewPassword,
});
export type CreateUserRequest = z.infer<typeof CreateUserRequest>;

/** `POST /api/admin/users/<id>/password`: a temporary password; the user must change it at next login. */
export const ResetPasswordRequest = z.object({ password: NewPassword });

/** `POST /api/admin/users/<id>/role`: role and team (the user's sessions end: their grant changed). */
export const ChangeRoleRequest = z.object({ role: AssignableRole, team: Team });

/** `POST /api/admin/users/<id>/active`. */
export const SetActiveRequest = z.object({ active: z.boolean() });

export const UsersResponse = z.object({ users: z.array(AdminUser) });
export const SessionsResponse = z.object({ sessions: z.array(AdminSession) });
export const AuditResponse = z.object({ entries: z.array(AuditRow) });
/** Answer of every change: the user as it is now, and how many sessions it ended. */
export const AdminChangeResponse = z.object({ user: AdminUser, endedSessions: z.number().int().nonnegative() });
export type AdminChangeResponse = z.infer<typeof AdminChangeResponse>;
