import { z } from 'zod';
import { MutationName } from './mutations';
import { EntityName } from './entities';

/**
 * Bumped when the wire format changes incompatibly; the server refuses older clients.
 * 3: a poke that carries changes comes as UTF-8 JSON in a binary frame (see `decodeFrame`).
 * 4: the intake record (contact type, urgency, language, confidentiality …) and the mutations
 *    amendCase, repeatCall, revealCaller; a server that speaks 4 still serves clients of 3.
 */
export const PROTOCOL_VERSION = 4;
export const MIN_PROTOCOL_VERSION = 3;

/** Largest push batch the server accepts, and the size the workstation sends. */
export const MAX_PUSH_BATCH = 500;
/**
 * The workstation also closes a batch once its mutations' arguments reach this many bytes, so a
 * batch of long cases stays well inside the server's 4 MiB message limit (500 cases with 4,000
 * Chinese characters each would not).
 */
export const MAX_PUSH_BYTES = 1024 * 1024;
export const MAX_PULL_PAGE = 1000;

export const Mutation = z.object({
  clientId: z.uuid(),
  seq: z.number().int().positive(),
  id: z.uuid(),
  name: MutationName,
  args: z.unknown(),
  at: z.number().int().positive(),
});
export type Mutation = z.infer<typeof Mutation>;

export const HandshakeAuth = z.object({
  token: z.string().min(1),
  clientId: z.uuid(),
  protocolVersion: z.number().int(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

export const PushRequest = z.object({
  clientId: z.uuid(),
  mutations: z.array(Mutation).min(1).max(MAX_PUSH_BATCH),
});
export type PushRequest = z.infer<typeof PushRequest>;

/** Why the server refused a mutation; the workstation translates these (rejectionReasons.<code>). */
export const RejectionCode = z.enum(['invalid_args', 'forbidden', 'bad_number', 'unknown_category', 'duplicate_id', 'number_taken', 'not_found', 'conflict', 'illegal_transition', 'invalid_step', 'unknown_unit', 'server_error']);
export type RejectionCode = z.infer<typeof RejectionCode>;

export const MutationOutcome = z.object({
  seq: z.number().int().positive(),
  id: z.uuid(),
  status: z.enum(['applied', 'rejected', 'duplicate']),
  /** For rejected: machine code + human message; for conflicts, the entity's current state. */
  reason: z.object({ code: z.string(), message: z.string(), current: z.unknown().optional() }).optional(),
});
export type MutationOutcome = z.infer<typeof MutationOutcome>;

export const ProtocolError = z.object({ code: z.string(), message: z.string() });

export const PushResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), lastSeq: z.number().int().nonnegative(), outcomes: z.array(MutationOutcome) }),
  z.object({ ok: z.literal(false), error: ProtocolError }),
]);
export type PushResponse = z.infer<typeof PushResponse>;

/** The entities a change may carry: those of the entity registry (`entities.ts`). */
export const Entity = EntityName;
export type Entity = EntityName;

export const Scope = z.string().min(1).max(80);

export const Change = z.object({
  version: z.number().int().positive(),
  scope: Scope,
  entity: Entity,
  id: z.string(),
  /** Full current state of the entity in this scope; null means it left the scope or was removed. */
  data: z.unknown().nullable(),
});
export type Change = z.infer<typeof Change>;

/** Per-scope cursors: the highest version of each scope that the client holds. */
export const Cursors = z.record(Scope, z.number().int().nonnegative());
export type Cursors = z.infer<typeof Cursors>;

export const PullRequest = z.object({
  cursors: Cursors,
  limit: z.number().int().positive().max(MAX_PULL_PAGE).optional(),
  /** Ask for the number of changes still to come after this page (initial-sync progress). */
  withRemaining: z.boolean().optional(),
});
export type PullRequest = z.infer<typeof PullRequest>;

export const PullResponse = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** The scopes the server grants this user now; a different set than the client's means reset. */
    scopes: z.array(Scope),
    /** The client's cursors did not match the granted scopes: drop the cache, this page starts from 0. */
    reset: z.boolean(),
    changes: z.array(Change),
    cursors: Cursors,
    more: z.boolean(),
    remaining: z.number().int().nonnegative().optional(),
    /** Highest seq of this client the server has processed (applied or rejected). */
    lastSeq: z.number().int().nonnegative(),
    serverTime: z.number().int(),
  }),
  z.object({ ok: z.literal(false), error: ProtocolError }),
]);
export type PullResponse = z.infer<typeof PullResponse>;

/**
 * Sent to a scope's room after a commit touched it. `prev` is the scope's version before that
 * commit: a client whose cursor for the scope is at least `prev` may apply `changes` (present when
 * small) and move its cursor to `version` without a pull.
 */
export const Poke = z.object({
  scope: Scope,
  prev: z.number().int().nonnegative(),
  version: z.number().int().positive(),
  changes: z.array(Change).optional(),
});
export type Poke = z.infer<typeof Poke>;

/**
 * A message that may come as UTF-8 JSON in a binary frame (a poke with changes: the server writes
 * the changes' stored JSON into the frame instead of serializing them again), or as a plain
 * object. Throws on malformed JSON.
 */
export function decodeFrame(raw: unknown): unknown {
  if (raw instanceof ArrayBuffer) return JSON.parse(new TextDecoder().decode(raw)) as unknown;
  if (ArrayBuffer.isView(raw)) return JSON.parse(new TextDecoder().decode(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength))) as unknown;
  return raw;
}

/**
 * Socket.io event names of the sync channel. `reauth` (client → server, with ack): a fresh access
 * token for the open socket, before the one of the handshake expires. `ended` (server → client,
 * then the server closes the socket): the token expired (`token_expired`: reconnect with a fresh
 * one) or the session ended (`session_ended`: log in again).
 */
export const SyncEvents = { push: 'push', pull: 'pull', poke: 'poke', reauth: 'reauth', ended: 'ended' } as const;

/**
 * Error codes of a refused push or pull (and of `ended`) that concern the session, not the request:
 * `token_expired` — re-authenticate (reauth) and send again; `session_ended` — log in again;
 * `password_change_required` — the account must change its password first.
 */
export const SessionErrorCode = z.enum(['token_expired', 'session_ended', 'password_change_required']);
export type SessionErrorCode = z.infer<typeof SessionErrorCode>;

export const ReauthRequest = z.object({ token: z.string().min(1).max(4096) });
export const ReauthResponse = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), exp: z.number().int() }),
  z.object({ ok: z.literal(false), error: ProtocolError }),
]);
export type ReauthResponse = z.infer<typeof ReauthResponse>;

export const SessionEndedNotice = z.object({ code: SessionErrorCode, reason: z.string() });
export type SessionEndedNotice = z.infer<typeof SessionEndedNotice>;
