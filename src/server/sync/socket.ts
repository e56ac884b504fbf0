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
  SyncEvents,
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

interface SocketData {
  user: TokenClaims;
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
): { poke: (space: Space, pokes: readonly Poke[], from?: Socket) => void; drain: () => Promise<void> } {
  const { spaces, signer, log, ref } = deps;
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
    if (draining) return next(new Error('internal: server shutting down'));
    track(
      spaces.get(user.space).then(async (db) => ({ db, client: await ensureClient(db, auth.data.clientId, user.sub, user.station) })),
    )
      .then(({ db, client }) => {
        if (client.userId !== user.sub) return next(new Error('forbidden: this client id belongs to another user'));
        const data: SocketData = { user, clientId: auth.data.clientId, scopes: scopesFor(user), db };
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
    void socket.join(data.scopes.map((scope) => roomOf(space, scope)));
    log.debug('client connected', { clientId: data.clientId, userId: data.user.sub });

    socket.on(SyncEvents.push, (raw: unknown, ack: unknown) => {
      if (typeof ack !== 'function') return;
      const reply = ack as Ack<PushResponse>;
      const req = PushRequest.safeParse(raw);
      if (!req.success) return reply({ ok: false, error: { code: 'bad_request', message: z.prettifyError(req.error) } });
      if (req.data.clientId !== data.clientId) {
        return reply({ ok: false, error: { code: 'forbidden', message: 'push for another client' } });
      }
      track(applyPush(db, data.user, data.user.station, req.data, log, ref))
        .then(({ response, pokes }) => {
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
      track(db.tx(async (q) => {
        // lastSeq first: every mutation it counts is then inside the changes read after it.
        const lastSeq = await lastSeqOf(q, data.clientId);
        const page = await changesSince(q, cursors, limit, { withRemaining: req.data.withRemaining ?? false });
        return { page, lastSeq };
      }))
        .then(({ page, lastSeq }) => {
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

  return { poke, drain };
}
