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
  type Cursors,
  type Poke,
  type PullResponse,
  type PushResponse,
} from '../../shared/sync/protocol';
import { ensureClient } from '../store/clients';
import { changesSince } from '../store/changes';
import { applyPush } from './push';
import type { ReferenceSet } from '../reference/reference-set';
import { scopesFor } from './scopes';

interface SocketData {
  user: TokenClaims;
  clientId: string;
  scopes: string[];
}

type Ack<T> = (response: T) => void;

export const roomOf = (scope: string) => `scope:${scope}`;

/** Pokes carry their changes inline up to this size; bigger ones make clients pull. */
export const INLINE_POKE_BYTES = 16 * 1024;

/** Same scope set, in any order? A different set means the client must start over. */
function sameScopes(cursors: Cursors, granted: readonly string[]): boolean {
  const keys = Object.keys(cursors);
  return keys.length === granted.length && granted.every((s) => s in cursors);
}

/** Authenticates the handshake, joins scope rooms, serves push and pull with acknowledgements. */
export function attachSync(
  io: Server,
  deps: { db: Database; signer: TokenSigner; log: Logger; ref: ReferenceSet },
): { poke: (pokes: readonly Poke[]) => void; drain: () => Promise<void> } {
  const { db, signer, log, ref } = deps;
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
  const poke = (pokes: readonly Poke[]) => {
    for (const p of pokes) {
      const inline = p.changes !== undefined && Buffer.byteLength(JSON.stringify(p.changes)) <= INLINE_POKE_BYTES;
      io.to(roomOf(p.scope)).emit(SyncEvents.poke, inline ? p : { scope: p.scope, prev: p.prev, version: p.version });
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
    track(ensureClient(db, auth.data.clientId, user.sub, user.station))
      .then((client) => {
        if (client.userId !== user.sub) return next(new Error('forbidden: this client id belongs to another user'));
        const data: SocketData = { user, clientId: auth.data.clientId, scopes: scopesFor(user) };
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
    void socket.join(data.scopes.map(roomOf));
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
          poke(pokes);
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
        const client = await q.get<{ last_seq: number }>('SELECT last_seq FROM clients WHERE client_id = ?', [data.clientId]);
        const page = await changesSince(q, cursors, limit, { withRemaining: req.data.withRemaining ?? false });
        return { page, lastSeq: client?.last_seq ?? 0 };
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
