import { z } from 'zod';

/** `service`: a server-side account (Open311) that registers cases and can never log in. */
export const Role = z.enum(['operator', 'lead', 'trainer', 'editor', 'admin', 'service']);
export type Role = z.infer<typeof Role>;

export const Username = z.string().trim().min(2).max(40).regex(/^[a-z0-9._-]+$/, 'username_format');

export const UserInfo = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  team: z.string(),
});
export type UserInfo = z.infer<typeof UserInfo>;
