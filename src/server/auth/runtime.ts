import type { AuthConfig } from './config';
import type { LoginThrottle } from './throttle';

/** Whose live sockets to close: every session of a user, or one session. */
export type KickTarget = { userId: string } | { sessionId: string };

/** What the HTTP handlers need of sessions beyond the database. */
export interface AuthRuntime {
  config: AuthConfig;
  throttle: LoginThrottle;
  /** Closes the target's sockets on every server node (through Redis when clustered), telling them why. */
  kick: (target: KickTarget, reason: string) => void;
}
