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
  type PullResponse,
  type PushResponse,
} from '../../shared/sync/protocol';
import { ensureClient } from '../store/clients';
import { changesSince, currentVersion } from '../store/changes';
import { applyPush } from './push';
import { scopesFor } from './scopes';

interface SocketData {
  user: TokenClaims;
  clientId: string;
  scopes: string[];
}

type Ack<T> = (response: T) => void;

const roomOf = (scope: string) => `scope:${scope}`;

/** Authenticates the handshake, joins scope rooms, serves push and pull with acknowledgements. */
export function attachSync(io: Server, deps: { db: Database; signer: TokenSigner; log: Logger }): { poke: (scopes: Iterable<string>) => Promise<void> } {
  const { db, signer, log } = deps;

  const poke = async (scopes: Iterable<string>) => {
    const rooms = [...scopes].map(roomOf);
    if (rooms.length === 0) return;
    const version = await currentVersion(db);
    io.to(rooms).emit(SyncEvents.poke, { version });
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
    ensureClient(db, auth.data.clientId, user.sub, user.station)
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
      applyPush(db, data.user, data.user.station, req.data, log)
        .then(async ({ response, scopes }) => {
          reply(response);
          await poke(scopes);
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
      db.tx(async (q) => {
        const page = await changesSince(q, data.scopes, req.data.cursor, limit);
        const client = await q.get<{ last_seq: number }>('SELECT last_seq FROM clients WHERE client_id = ?', [data.clientId]);
        return { page, lastSeq: client?.last_seq ?? 0 };
      })
        .then(({ page, lastSeq }) => {
          const last = page.changes[page.changes.length - 1];
          reply({
            ok: true,
            changes: page.changes,
            cursor: last ? last.version : req.data.cursor,
            more: page.more,
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

  return { poke };
}
