import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { Database } from '../db/driver';
import type { Logger } from '../log';
import type { TokenClaims, TokenSigner } from '../auth/token';
import {
  HandshakeAuth,
  MAX_PULL_PAGE,
  MIN_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  PullRequest,
  PushRequest,
  ReauthRequest,
  SyncEvents,
  type ReauthResponse,
  type SessionEndedNotice,
  type SessionErrorCode,
  type Change,
  type Cursors,
  type Poke,
  type PullResponse,
  type PushResponse,
} from '../../shared/sync/protocol';
import { ensureClient, lastSeqOf } from '../store/clients';
import { changeBytes, changeJsonBytes, changesSince } from '../store/changes';
import { applyPush } from './push';
import type { ReferenceSet } from '../reference/reference-set';
import { scopesFor } from './scopes';
import type { Space } from '../../shared/domain/space';
import type { SpaceStores } from '../spaces';
import { openSession, touchSession } from '../store/sessions';
import type { KickTarget } from '../auth/runtime';

interface SocketData {
  user: TokenClaims;
  /** The session of the token (every token of a socket belongs to this one). */
  sid: string;
  /** When the socket's current access token expires (server time); a reauth moves it. */
  exp: number;
  expiryTimer?: NodeJS.Timeout;
  clientId: string;
  scopes: string[];
  /** The store of the session's data space: the only one this socket ever reads or writes. */
  db: Database;
}

type Ack<T> = (response: T) => void;

/** A scope's room within a data space: practice and live workstations never share a room. */
export const roomOf = (space: Space, scope: string) => `${space}/scope:${scope}`;

/**
 * A poke carries its changes inline up to this size (UTF-8 JSON of the changes); a commit with
 * more is announced in several pokes of at most this size, chained by `prev`/`version`. socket.io
 * encodes a broadcast frame once for all the sockets of a room, so a bigger poke costs one buffer
 * per node, not one per workstation, and it spares every workstation in the room a pull.
 */
export const INLINE_POKE_BYTES = 1024 * 1024;

/**
 * Splits a commit's poke for one scope into pokes of at most `limit` bytes of changes. Each piece
 * ends at the version of its last change: a client that applied the pieces before it holds every
 * change of the scope up to its `prev`. A change bigger than the limit, and everything after it,
 * is announced without changes (clients pull it).
 */
export function splitPoke(p: Poke, limit = INLINE_POKE_BYTES): Poke[] {
  const bare = (prev: number): Poke => ({ scope: p.scope, prev, version: p.version });
  if (!p.changes || p.changes.length === 0) return [bare(p.prev)];
  const out: Poke[] = [];
  let prev = p.prev;
  let piece: Change[] = [];
  // The JSON array: its brackets, and each change followed by a comma but the last.
  let bytes = 1;
  const close = () => {
    const last = piece[piece.length - 1];
    if (!last) return;
    out.push({ scope: p.scope, prev, version: last.version, changes: piece });
    prev = last.version;
    piece = [];
    bytes = 1;
  };
  for (const c of p.changes) {
    const size = changeBytes(c) + 1;
    if (size + 1 > limit) {
      close();
      out.push(bare(prev));
      return out;
    }
    if (bytes + size > limit) close();
    piece.push(c);
    bytes += size;
  }
  close();
  const last = out[out.length - 1];
  // The commit's version for the scope is its last change's; keep the announced head exact anyway.
  if (last) last.version = p.version;
  return out;
}

const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']}');

/**
 * What goes on the wire for a poke: with changes, its JSON in a binary frame, joined from each
 * change's UTF-8 JSON as the recorder encoded it (serializing the change objects again cost a
 * third of a busy server's broadcast time); a bare poke as it is. Clients read both with
 * `decodeFrame`.
 */
export function pokeFrame(p: Poke): Poke | Buffer {
  if (!p.changes || p.changes.length === 0) return p;
  const parts: Buffer[] = [Buffer.from(`{"scope":${JSON.stringify(p.scope)},"prev":${p.prev},"version":${p.version},"changes":[`)];
  p.changes.forEach((c, i) => {
    if (i > 0) parts.push(COMMA);
    parts.push(changeJsonBytes(c));
  });
  parts.push(CLOSE);
  return Buffer.concat(parts);
}

/** Same scope set, in any order? A different set means the client must start over. */
function sameScopes(cursors: Cursors, granted: readonly string[]): boolean {
  const keys = Object.keys(cursors);
  return keys.length === granted.length && granted.every((s) => s in cursors);
}

/** The rooms through which a user's or a session's sockets are closed (on every node). */
export const userRoom = (userId: string) => `auth/user:${userId}`;
export const sessionRoom = (sessionId: string) => `auth/session:${sessionId}`;
const KICK_EVENT = 'hotline:kick';
/** How long a node trusts its last look at a session (a revocation also closes sockets directly). */
const SESSION_CHECK_MS = 3000;
/** How long a socket stays open after its token expired, for a reauth. */
const EXPIRED_GRACE_MS = 5000;

/** Authenticates the handshake, joins scope rooms, serves push and pull with acknowledgements. */
export function attachSync(
  io: Server,
  deps: {
    spaces: SpaceStores;
    signer: TokenSigner;
    log: Logger;
    ref: ReferenceSet;
    /** Several nodes share the rooms (Redis adapter). */
    clustered?: boolean;
  },
): {
  poke: (space: Space, pokes: readonly Poke[], from?: Socket) => void;
  drain: () => Promise<void>;
  /** Closes the sockets of a user or a session on every node, telling them the session ended. */
  kick: (target: KickTarget, reason: string) => void;
} {
  const { spaces, signer, log, ref } = deps;
  const sessionsDb = spaces.live;

  // Whether a session is still open, looked up at most every SESSION_CHECK_MS per node.
  const sessionSeen = new Map<string, { open: boolean; at: number }>();
  const sessionOpen = async (sid: string, userId: string): Promise<boolean> => {
    const now = Date.now();
    const seen = sessionSeen.get(sid);
    if (seen && (!seen.open || now - seen.at < SESSION_CHECK_MS)) return seen.open;
    const row = await openSession(sessionsDb, sid, now);
    const open = row !== undefined && row.userId === userId;
    if (sessionSeen.size > 50_000) for (const [k, v] of sessionSeen) if (now - v.at > 60_000) sessionSeen.delete(k);
    sessionSeen.set(sid, { open, at: now });
    return open;
  };

  /** Tells the socket why, then closes it (the client does not reconnect by itself after this). */
  const endSocket = (socket: Socket, code: SessionErrorCode, reason: string) => {
    const data = socket.data as Partial<SocketData>;
    if (data.expiryTimer) clearTimeout(data.expiryTimer);
    const notice: SessionEndedNotice = { code, reason };
    socket.emit(SyncEvents.ended, notice);
    socket.disconnect(true);
  };

  /** This node's part of a kick: its sockets in the room. */
  const kickHere = (target: KickTarget, reason: string) => {
    const room = 'userId' in target ? userRoom(target.userId) : sessionRoom(target.sessionId);
    const members = io.sockets.adapter.rooms.get(room);
    if (!members) return;
    for (const id of [...members]) {
      const socket = io.sockets.sockets.get(id);
      if (!socket) continue;
      const data = socket.data as Partial<SocketData>;
      if (data.sid) sessionSeen.set(data.sid, { open: false, at: Date.now() });
      log.info('socket closed: session ended', { userId: data.user?.sub, sessionId: data.sid, reason });
      endSocket(socket, 'session_ended', reason);
    }
  };
  const kick = (target: KickTarget, reason: string) => {
    kickHere(target, reason);
    if (deps.clustered) io.serverSideEmit(KICK_EVENT, target, reason);
  };
  io.on(KICK_EVENT, (target: unknown, reason: unknown) => {
    if (typeof reason !== 'string' || typeof target !== 'object' || target === null) return;
    const t = target as Partial<Record<'userId' | 'sessionId', unknown>>;
    if (typeof t.userId === 'string') kickHere({ userId: t.userId }, reason);
    else if (typeof t.sessionId === 'string') kickHere({ sessionId: t.sessionId }, reason);
  });

  /**
   * Closes the socket a little after its access token expired (pushes and pulls are refused with
   * token_expired from the expiry on), unless a reauth moved `exp` meanwhile. The grace lets a
   * client that was refused reauth instead of reconnecting.
   */
  const grace = Math.min(EXPIRED_GRACE_MS, signer.accessTtlMs);
  const armExpiry = (socket: Socket) => {
    const data = socket.data as SocketData;
    if (data.expiryTimer) clearTimeout(data.expiryTimer);
    const wait = Math.max(0, data.exp + grace - Date.now());
    data.expiryTimer = setTimeout(() => {
      if (data.exp <= Date.now() && socket.connected) {
        log.debug('socket closed: access token expired', { userId: data.user.sub, sessionId: data.sid });
        endSocket(socket, 'token_expired', 'the access token expired without a reauth');
      }
    }, Math.min(wait + 50, 2 ** 31 - 1));
    data.expiryTimer.unref();
  };

  /**
   * Every push and pull: the token of the socket is still valid and its session open. Refused
   * otherwise with a code the workstation acts on (token_expired: reauth and send again;
   * session_ended: the socket closes, log in again).
   */
  const refusal = async (socket: Socket): Promise<{ code: SessionErrorCode; message: string } | null> => {
    const data = socket.data as SocketData;
    if (data.exp <= Date.now()) return { code: 'token_expired', message: 'the access token expired; reauth with a fresh one' };
    if (!(await sessionOpen(data.sid, data.user.sub))) {
      endSocket(socket, 'session_ended', 'the session has ended');
      return { code: 'session_ended', message: 'the session has ended; log in again' };
    }
    return null;
  };
  // Requests still being served: shutdown waits for them before it closes Redis and the database.
  const inflight = new Set<Promise<unknown>>();
  let draining = false;
  const track = <T>(p: Promise<T>): Promise<T> => {
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => undefined);
    return p;
  };
  const drain = async () => {
    draining = true;
    await Promise.allSettled([...inflight]);
  };

  // Pokes still go out while draining: workstations on other nodes learn of these commits only
  // through them (Redis closes after the drain).
  // `from`: the socket whose push made these changes. It pulls after every push round anyway, so
  // it is told only the new head of each scope, not sent back the changes it just pushed.
  const poke = (space: Space, pokes: readonly Poke[], from?: Socket) => {
    for (const p of pokes) {
      const room = roomOf(space, p.scope);
      // Alone, no other node can hold a member of the room: a room of only the pusher (its own
      // user scope) needs no inline poke encoded for nobody.
      const members = io.sockets.adapter.rooms.get(room);
      const others = deps.clustered || (members !== undefined && members.size > (from && members.has(from.id) ? 1 : 0));
      if (others) for (const piece of splitPoke(p)) (from ? io.to(room).except(from.id) : io.to(room)).emit(SyncEvents.poke, pokeFrame(piece));
      if (from?.rooms.has(room)) from.emit(SyncEvents.poke, { scope: p.scope, prev: p.prev, version: p.version });
    }
  };

  io.use((socket, next) => {
    const auth = HandshakeAuth.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new Error('unauthenticated: handshake auth missing or malformed'));
    if (auth.data.protocolVersion < MIN_PROTOCOL_VERSION || auth.data.protocolVersion > PROTOCOL_VERSION) {
      return next(
        new Error(`outdated_client: protocol ${auth.data.protocolVersion} not supported (server speaks ${MIN_PROTOCOL_VERSION}..${PROTOCOL_VERSION})`),
      );
    }
    const user = signer.verify(auth.data.token, 'access');
    if (!user) return next(new Error('unauthenticated: token invalid or expired'));
    const sid = user.sid;
    if (sid === undefined) return next(new Error('unauthenticated: token without a session'));
    if (user.mcp) return next(new Error('password_change_required: change the password first'));
    if (draining) return next(new Error('internal: server shutting down'));
    track(
      (async () => {
        const now = Date.now();
        const session = await openSession(sessionsDb, sid, now);
        if (!session || session.userId !== user.sub) return { ended: true as const };
        await touchSession(sessionsDb, sid, now);
        const db = await spaces.get(user.space);
        return { ended: false as const, db, client: await ensureClient(db, auth.data.clientId, user.sub, user.station) };
      })(),
    )
      .then((found) => {
        if (found.ended) return next(new Error('session_ended: the session has ended; log in again'));
        const { db, client } = found;
        if (client.userId !== user.sub) return next(new Error('forbidden: this client id belongs to another user'));
        const data: SocketData = { user, sid, exp: user.exp, clientId: auth.data.clientId, scopes: scopesFor(user), db };
        Object.assign(socket.data as object, data);
        next();
      })
      .catch((error: unknown) => {
        log.error('handshake failed', { error });
        next(new Error('internal: handshake failed'));
      });
  });

  io.on('connection', (socket: Socket) => {
    const data = socket.data as SocketData;
    const { db } = data;
    const space = data.user.space;
    void socket.join([...data.scopes.map((scope) => roomOf(space, scope)), userRoom(data.user.sub), sessionRoom(data.sid)]);
    armExpiry(socket);
    socket.on('disconnect', () => {
      if (data.expiryTimer) clearTimeout(data.expiryTimer);
    });
    log.debug('client connected', { clientId: data.clientId, userId: data.user.sub });

    // A fresh access token of the same session, before the socket's runs out: no reconnect.
    socket.on(SyncEvents.reauth, (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as Ack<ReauthResponse>;
      const req = ReauthRequest.safeParse(raw);
      if (!req.success) return reply({ ok: false, error: { code: 'bad_request', message: z.prettifyError(req.error) } });
      const next = signer.verify(req.data.token, 'access');
      if (!next) return reply({ ok: false, error: { code: 'unauthenticated', message: 'token invalid or expired' } });
      const same = next.sid === data.sid && next.sub === data.user.sub && next.space === data.user.space && next.station === data.user.station && next.role === data.user.role && next.team === data.user.team;
      if (!same) return reply({ ok: false, error: { code: 'forbidden', message: 'the token belongs to another session or grant' } });
      sessionSeen.delete(data.sid);
      track(sessionOpen(data.sid, data.user.sub))
        .then((open) => {
          if (!open) {
            reply({ ok: false, error: { code: 'session_ended', message: 'the session has ended; log in again' } });
            endSocket(socket, 'session_ended', 'the session has ended');
            return;
          }
          data.user = next;
          data.exp = next.exp;
          armExpiry(socket);
          reply({ ok: true, exp: next.exp });
        })
        .catch((error: unknown) => {
          log.error('reauth failed', { clientId: data.clientId, error });
          reply({ ok: false, error: { code: 'internal', message: 'reauth failed' } });
        });
    });

    socket.on(SyncEvents.push, (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as Ack<PushResponse>;
      const req = PushRequest.safeParse(raw);
      if (!req.success) return reply({ ok: false, error: { code: 'bad_request', message: z.prettifyError(req.error) } });
      if (req.data.clientId !== data.clientId) {
        return reply({ ok: false, error: { code: 'forbidden', message: 'push for another client' } });
      }
      track(
        refusal(socket).then(async (refused) => (refused ? { refused } : { refused: null, ...(await applyPush(db, data.user, data.user.station, req.data, log, ref)) })),
      )
        .then((done) => {
          if (done.refused) return reply({ ok: false, error: done.refused });
          const { response, pokes } = done;
          reply(response);
          poke(space, pokes, socket);
        })
        .catch((error: unknown) => {
          log.error('push failed', { clientId: data.clientId, error });
          reply({ ok: false, error: { code: 'internal', message: 'push failed; will be retried' } });
        });
    });

    socket.on(SyncEvents.pull, (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as Ack<PullResponse>;
      const req = PullRequest.safeParse(raw);
      if (!req.success) return reply({ ok: false, error: { code: 'bad_request', message: z.prettifyError(req.error) } });
      const limit = req.data.limit ?? MAX_PULL_PAGE;
      // Scopes are the server's grant, never the client's choice; a client that holds another set
      // (first sync, or its user's team or role changed) starts again from zero.
      const reset = !sameScopes(req.data.cursors, data.scopes);
      const cursors: Cursors = Object.fromEntries(data.scopes.map((s) => [s, reset ? 0 : (req.data.cursors[s] ?? 0)]));
      track(
        refusal(socket).then(async (refused) =>
          refused
            ? { refused }
            : {
                refused: null,
                ...(await db.tx(async (q) => {
                  // lastSeq first: every mutation it counts is then inside the changes read after it.
                  const lastSeq = await lastSeqOf(q, data.clientId);
                  const page = await changesSince(q, cursors, limit, { withRemaining: req.data.withRemaining ?? false });
                  return { page, lastSeq };
                })),
              },
        ),
      )
        .then((done) => {
          if (done.refused) return reply({ ok: false, error: done.refused });
          const { page, lastSeq } = done;
          reply({
            ok: true,
            scopes: data.scopes,
            reset,
            changes: page.changes,
            cursors: page.cursors,
            more: page.more,
            ...(page.remaining === undefined ? {} : { remaining: page.remaining }),
            lastSeq,
            serverTime: Date.now(),
          });
        })
        .catch((error: unknown) => {
          log.error('pull failed', { clientId: data.clientId, error });
          reply({ ok: false, error: { code: 'internal', message: 'pull failed' } });
        });
    });
  });

  return { poke, drain, kick };
}
