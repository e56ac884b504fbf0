import { io, type Socket } from 'socket.io-client';
import type { LocalDb } from '../store/db';
import {
  MAX_PULL_PAGE,
  MAX_PUSH_BATCH,
  MAX_PUSH_BYTES,
  PROTOCOL_VERSION,
  Poke,
  PullResponse,
  PushResponse,
  ReauthResponse,
  SessionEndedNotice,
  SyncEvents,
  decodeFrame,
  type MutationOutcome,
} from '../../../shared/sync/protocol';
import type { Rejection, SyncProgress, SyncStatus } from '../../../shared/contract/contract';
import { touchedEntities, hasExpectedRev } from '../../../shared/sync/mutations';
import { entityKey } from '../../../shared/sync/entities';
import { countUnconfirmed, markPushedRange, pendingBatch, removeFromOutbox } from '../store/outbox';
import { getCursors } from '../store/confirmed';
import { addRejection, type StoredRejection } from '../store/rejections';
import { LOCAL_ENTITIES } from '../entities';
import { applyPoke, applyPullPage, changedOf, rebase, type Changed, type SyncActor } from './rebase';
import { renewAt, tokenTimes } from './token-times';
import { AppFailure } from '../../../shared/result';

/** A push or pull refused because of the socket's token or session, not the request. */
class SessionRefusal extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'SessionRefusal';
  }
}

const SESSION_CODES = new Set(['token_expired', 'session_ended', 'password_change_required']);

function hasAny(changed: Changed): boolean {
  return Object.values(changed).some((ids) => ids.length > 0);
}

export interface SyncClientOptions {
  serverUrl: string;
  db: LocalDb;
  actor: SyncActor;
  accessToken: (clockOffsetMs: number) => Promise<string>;
  onStatus: (status: SyncStatus) => void;
  /** Entities whose view changed (confirmed state arrived, or an optimistic effect was rolled back). */
  onChanged: (changed: Changed) => void;
  onRejected: (rejection: Rejection) => void;
  onProgress?: (progress: SyncProgress) => void;
  /** The server ended the session (logout elsewhere, an admin, a replayed token, the shift): log in again. */
  onSessionEnded?: (reason: string) => void;
  ackTimeoutMs?: number;
  pullPageSize?: number;
}

/**
 * Keeps one workstation in sync: pushes the outbox in ordered batches, pulls changes after each
 * connect and poke, and reports status. One sync loop runs at a time; requests made while it
 * runs set flags that make it go round again.
 */
export class SyncClient {
  private socket: Socket | null = null;
  private running = false;
  /** A push round is under way (pokes then only ask for the pull that follows it). */
  private pushing = false;
  private wantPush = true;
  private wantPull = true;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private loopDone: Promise<void> | null = null;
  private status: SyncStatus;
  /** Times of the access token the socket holds (from the handshake or the last reauth). */
  private socketToken: { iat: number; exp: number } | null = null;
  private reauthTimer: NodeJS.Timeout | null = null;
  private reauthing: Promise<boolean> | null = null;
  private sessionOver = false;

  constructor(private readonly opts: SyncClientOptions) {
    this.status = {
      online: false,
      pending: countUnconfirmed(opts.db, opts.actor.clientId),
      syncing: false,
      lastSyncAt: null,
      clockOffsetMs: 0,
      error: null,
    };
  }

  get currentStatus(): SyncStatus {
    return this.status;
  }

  /**
   * A safety net: a pull every so often even without pokes, so that a poke lost with a crashed
   * server node (committed, not yet announced) is caught up within this interval.
   */
  private heartbeat: NodeJS.Timeout | null = null;
  static readonly HEARTBEAT_MS = 30_000;

  start(): void {
    this.heartbeat = setInterval(() => {
      this.wantPull = true;
      this.kick();
    }, SyncClient.HEARTBEAT_MS);
    this.heartbeat.unref();
    const socket = io(this.opts.serverUrl, {
      transports: ['websocket'],
      reconnection: true,
      // Exponential backoff with jitter, so 2,000 workstations do not return in lockstep.
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
      randomizationFactor: 0.5,
      auth: (cb) => {
        this.opts
          .accessToken(this.status.clockOffsetMs)
          .then((token) => {
            this.socketToken = tokenTimes(token);
            cb({ token, clientId: this.opts.actor.clientId, protocolVersion: PROTOCOL_VERSION });
          })
          .catch((error: unknown) => {
            if (error instanceof AppFailure && error.code === 'session_ended') this.endSession(error.message);
            cb({ token: 'unavailable', clientId: this.opts.actor.clientId, protocolVersion: PROTOCOL_VERSION });
          });
      },
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.update({ online: true, error: null });
      this.scheduleReauth();
      this.wantPush = true;
      this.wantPull = true;
      this.kick();
    });
    socket.on('disconnect', (reason) => {
      this.update({ online: false });
      if (this.reauthTimer) clearTimeout(this.reauthTimer);
      // The server closed it (its token expired without a reauth): socket.io does not reconnect
      // by itself then; come back with a fresh token, unless the session is over.
      if (reason === 'io server disconnect' && !this.stopped && !this.sessionOver) this.scheduleReconnect(1000);
    });
    socket.on(SyncEvents.ended, (raw: unknown) => {
      const notice = SessionEndedNotice.safeParse(raw);
      if (notice.success && notice.data.code === 'session_ended') this.endSession(notice.data.reason);
    });
    socket.on('connect_error', (err) => {
      this.update({ online: false, error: err.message });
      if (err.message.startsWith('session_ended')) return this.endSession(err.message);
      // The server refused the handshake: socket.io does not retry that by itself.
      if (!socket.active && !this.stopped) this.scheduleReconnect(err.message.startsWith('outdated_client') || err.message.startsWith('password_change_required') ? 60_000 : 3000);
    });
    socket.on(SyncEvents.poke, (raw: unknown) => this.onPoke(raw));
  }

  /** Stops syncing; resolves once a running round has let go of the store (safe to close it then). */
  stop(): Promise<void> {
    this.update({ online: false });
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.reauthTimer) clearTimeout(this.reauthTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    // Disconnect first: requests waiting for an ack fail at once on the disconnect event.
    this.socket?.disconnect();
    this.socket?.removeAllListeners();
    this.socket = null;
    return this.loopDone ?? Promise.resolve();
  }

  /** The network is back (the OS said so, or a host knows): retry now instead of after the backoff. */
  reconnectNow(): void {
    if (this.stopped || !this.socket || this.socket.connected) return;
    if (this.retryTimer) {
      clearTimeout(this.retryTimer);
      this.retryTimer = null;
    }
    this.socket.disconnect().connect();
  }

  /** Called after a local mutation was written to the outbox. */
  notifyLocalChange(): void {
    this.update({ pending: countUnconfirmed(this.opts.db, this.opts.actor.clientId) });
    this.wantPush = true;
    this.kick();
  }

  /** Most pokes carry their change: applied at once, no round trip. Otherwise pull. */
  private onPoke(raw: unknown): void {
    if (this.stopped) return;
    // While this client pushes, the pull that follows every push round brings these changes:
    // applying them now would only hold up the acknowledgements (and the next batches) behind
    // rebases of this client's own, still unconfirmed, mutations.
    if (this.pushing) {
      this.wantPull = true;
      return;
    }
    let decoded: unknown;
    try {
      decoded = decodeFrame(raw);
    } catch {
      decoded = undefined;
    }
    const poke = Poke.safeParse(decoded);
    if (!poke.success) {
      // A poke we cannot read still says the scope moved: catch up by pulling.
      this.wantPull = true;
      this.kick();
      return;
    }

    let result;
    try {
      result = applyPoke(this.opts.db, this.opts.actor, poke.data);
    } catch {
      result = { applied: false as const, needPull: true };
    }
    if (result.applied) {
      this.update({ lastSyncAt: Date.now() });
      if (hasAny(result.changed)) this.opts.onChanged(result.changed);
    } else if (result.needPull) {
      this.wantPull = true;
      this.kick();
    }
  }

  /** The session is over on the server: stop trying, and tell the core (once). */
  private endSession(reason: string): void {
    if (this.sessionOver || this.stopped) return;
    this.sessionOver = true;
    this.update({ online: false, error: `session_ended: ${reason}` });
    this.opts.onSessionEnded?.(reason);
  }

  /** Hands the open socket a fresh token shortly before the one it holds expires (no reconnect). */
  private scheduleReauth(): void {
    if (this.reauthTimer) clearTimeout(this.reauthTimer);
    const times = this.socketToken;
    if (!times || times.exp === 0) return;
    const due = renewAt(times) - (Date.now() + this.status.clockOffsetMs) + 250;
    this.reauthTimer = setTimeout(() => void this.reauth(), Math.min(Math.max(due, 500), 2 ** 31 - 1));
    this.reauthTimer.unref();
  }

  /** Sends the socket a fresh access token; false when that failed (the socket is closed and reconnects then). */
  private reauth(): Promise<boolean> {
    this.reauthing ??= (async () => {
      const socket = this.socket;
      if (!socket?.connected || this.stopped) return false;
      try {
        const token = await this.opts.accessToken(this.status.clockOffsetMs);
        const res = ReauthResponse.parse(await socket.timeout(this.opts.ackTimeoutMs ?? 15_000).emitWithAck(SyncEvents.reauth, { token }));
        if (res.ok) {
          this.socketToken = tokenTimes(token);
          this.scheduleReauth();
          return true;
        }
        if (res.error.code === 'session_ended') this.endSession(res.error.message);
        else socket.disconnect().connect();
        return false;
      } catch (error) {
        if (error instanceof AppFailure && error.code === 'session_ended') this.endSession(error.message);
        else this.scheduleReauth();
        return false;
      }
    })().finally(() => {
      this.reauthing = null;
    });
    return this.reauthing;
  }

  private scheduleReconnect(delayMs: number): void {
    if (this.retryTimer) return;
    const jittered = delayMs * (0.5 + Math.random());
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.stopped) this.socket?.connect();
    }, jittered);
  }

  private kick(): void {
    if (this.running || !this.socket?.connected) return;
    this.running = true;
    this.update({ syncing: true });
    this.loopDone = this.loop()
      .catch(async (error: unknown) => {
        this.update({ error: error instanceof Error ? error.message : String(error) });
        // The socket's token ran out before its reauth: reauth now, then go round again.
        if (error instanceof SessionRefusal) {
          if (error.code === 'session_ended') this.endSession(error.message);
          else if (error.code === 'token_expired' && (await this.reauth())) this.update({ error: null });
        }
      })
      .finally(() => {
        this.running = false;
        // Stopped (logout, shutdown): the store may be closed already; touch nothing.
        if (this.stopped) return;
        this.update({ syncing: false, pending: countUnconfirmed(this.opts.db, this.opts.actor.clientId) });
        // Something asked for work while the last round was failing: try again shortly.
        if ((this.wantPush || this.wantPull) && this.socket?.connected) setTimeout(() => this.kick(), 1000);
      });
  }

  private async loop(): Promise<void> {
    while (this.socket?.connected && (this.wantPush || this.wantPull)) {
      if (this.wantPush) {
        this.wantPush = false;
        this.pushing = true;
        try {
          await this.pushAll();
        } finally {
          this.pushing = false;
        }
        this.wantPull = true;
      }
      if (this.wantPull) {
        this.wantPull = false;
        await this.pullAll();
      }
    }
  }

  /**
   * Sends the outbox in order, two batches in flight: the next one is on the wire while the
   * server applies the previous (the server applies a client's batches in arrival order; if one
   * fails, the next is refused as a gap and everything unacknowledged is sent again). When an
   * acknowledgement arrives the next batch goes out first, and the outcomes are written after it
   * (a macrotask later, in order), so the server is not kept waiting on this store's commit.
   */
  private async pushAll(): Promise<void> {
    const { db, actor } = this.opts;
    /** Acknowledgements not yet received (flow control). */
    const unacked: Promise<unknown>[] = [];
    /** Outcomes being written, in order; a refused batch rejects its entry. */
    const processed: Promise<void>[] = [];
    const state = { failed: false };
    let sentUpTo = 0;
    try {
      for (;;) {
        const socket = this.socket;
        if (!socket?.connected || this.stopped) {
          this.wantPush = true;
          break;
        }
        if (state.failed) break;
        const batch = pendingBatch(db, actor.clientId, MAX_PUSH_BATCH, sentUpTo, MAX_PUSH_BYTES);
        const last = batch[batch.length - 1];
        if (!last) break;
        sentUpTo = last.seq;
        const ack = this.request(socket, SyncEvents.push, {
          clientId: actor.clientId,
          mutations: batch.map(({ state: _s, ...m }) => m),
        });
        const done = ack.then(
          (raw) =>
            new Promise<void>((resolve, reject) => {
              setImmediate(() => {
                try {
                  this.onPushAck(raw);
                  resolve();
                } catch (error) {
                  reject(error instanceof Error ? error : new Error(String(error)));
                }
              });
            }),
        );
        // Awaited below; these only keep them from counting as unhandled meanwhile.
        ack.catch(() => undefined);
        done.catch(() => {
          state.failed = true;
        });
        unacked.push(ack);
        processed.push(done);
        if (unacked.length >= 2) await unacked.shift()?.catch(() => undefined);
      }
      for (const p of processed) await p;
    } catch (error) {
      this.wantPush = true;
      await Promise.allSettled(processed);
      throw error;
    }
  }

  private onPushAck(raw: unknown): void {
    if (this.stopped) return;
    const res = PushResponse.parse(raw);
    if (!res.ok && SESSION_CODES.has(res.error.code)) throw new SessionRefusal(res.error.code, res.error.message);
    if (!res.ok) throw new Error(`push refused: ${res.error.code}: ${res.error.message}`);
    this.applyOutcomes(res.outcomes);
    this.update({ pending: countUnconfirmed(this.opts.db, this.opts.actor.clientId) });
  }

  /**
   * An emit with acknowledgement that fails on timeout or as soon as the connection drops (an ack
   * can never come over a dead connection; waiting for the timeout would stall the outbox).
   */
  private request(socket: Socket, event: string, payload: unknown): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => {
      const onDisconnect = () => reject(new Error(`disconnected while waiting for ${event}`));
      socket.once('disconnect', onDisconnect);
      socket
        .timeout(this.opts.ackTimeoutMs ?? 15_000)
        .emitWithAck(event, payload)
        .then(resolve, reject)
        .finally(() => socket.off('disconnect', onDisconnect));
    });
  }

  private applyOutcomes(outcomes: readonly MutationOutcome[]): void {
    const { db, actor } = this.opts;
    const rejected: Rejection[] = [];
    const rolledBack = new Set<string>();
    db.transaction(() => {
      const accepted = outcomes.filter((o) => o.status !== 'rejected').map((o) => o.seq);
      // Outcomes come in seq order: mark the accepted ones run by run.
      for (let i = 0; i < accepted.length; ) {
        let j = i;
        while (j + 1 < accepted.length && accepted[j + 1] === (accepted[j] ?? 0) + 1) j += 1;
        markPushedRange(db, actor.clientId, accepted[i] ?? 0, accepted[j] ?? 0);
        i = j + 1;
      }
      for (const o of outcomes) {
        if (o.status !== 'rejected') continue;
        const entry = removeFromOutbox(db, actor.clientId, o.seq);
        if (!entry) continue;
        const touched = touchedEntities(entry.name, entry.args);
        const subject = touched[0];
        const code = o.reason?.code ?? 'rejected';
        const redoable = code === 'conflict' && hasExpectedRev(entry.name);
        const rejection: StoredRejection = {
          mutationId: entry.id,
          name: entry.name,
          // Named as the operator sees it, before the rollback below takes it out of view.
          caseNumber: subject ? (LOCAL_ENTITIES[subject.entity].label?.(db, subject.id) ?? null) : null,
          code,
          message: o.reason?.message ?? 'rejected by the server',
          at: Date.now(),
          redoable,
          mutation: { name: entry.name, args: entry.args },
          ...(o.reason?.current === undefined ? {} : { current: o.reason.current }),
        };
        addRejection(db, actor.userId, rejection);
        // Roll the optimistic effect back: the view returns to confirmed state + remaining pending.
        const keys = new Set(touched.map((r) => entityKey(r.entity, r.id)));
        rebase(db, actor, keys);
        keys.forEach((k) => rolledBack.add(k));
        const { mutation: _m, current: _c, ...shown } = rejection;
        rejected.push(shown);
      }
    })();
    for (const r of rejected) this.opts.onRejected(r);
    if (rolledBack.size) this.opts.onChanged(changedOf(rolledBack));
  }

  private async pullAll(): Promise<void> {
    const { db, actor } = this.opts;
    let received = 0;
    let total = 0;
    let first = true;
    for (;;) {
      const socket = this.socket;
      if (!socket?.connected) {
        this.wantPull = true;
        return;
      }
      const sentAt = Date.now();
      const raw: unknown = await this.request(socket, SyncEvents.pull, {
        cursors: getCursors(db),
        limit: this.opts.pullPageSize ?? MAX_PULL_PAGE,
        withRemaining: first,
      }).catch((error: unknown) => {
          this.wantPull = true;
          throw error;
        });
      if (this.stopped) return;
      const res = PullResponse.parse(raw);
      if (!res.ok) {
        this.wantPull = true;
        if (SESSION_CODES.has(res.error.code)) throw new SessionRefusal(res.error.code, res.error.message);
        throw new Error(`pull refused: ${res.error.code}: ${res.error.message}`);
      }
      const receivedAt = Date.now();
      const result = applyPullPage(db, actor, res);
      this.update({
        lastSyncAt: receivedAt,
        // Server time was read about half a round trip before the answer arrived.
        clockOffsetMs: Math.round(res.serverTime - (sentAt + receivedAt) / 2),
        pending: countUnconfirmed(db, actor.clientId),
        error: null,
      });
      if (hasAny(result.changed)) this.opts.onChanged(result.changed);
      received += res.changes.length;
      if (first) total = res.changes.length + (res.remaining ?? 0);
      // Progress for catch-ups longer than one page (a fresh workstation's initial sync).
      if (total > res.changes.length || !first) this.opts.onProgress?.({ received, total: Math.max(total, received), done: !res.more });
      first = false;
      if (!res.more) return;
    }
  }

  private update(patch: Partial<SyncStatus>): void {
    const next = { ...this.status, ...patch };
    const changed = (Object.keys(next) as (keyof SyncStatus)[]).some((k) => next[k] !== this.status[k]);
    this.status = next;
    if (changed) this.opts.onStatus(next);
  }
}
