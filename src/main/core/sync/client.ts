import { io, type Socket } from 'socket.io-client';
import type { LocalDb } from '../store/db';
import {
  MAX_PULL_PAGE,
  MAX_PUSH_BATCH,
  PROTOCOL_VERSION,
  Poke,
  PullResponse,
  PushResponse,
  SyncEvents,
  type MutationOutcome,
} from '../../../shared/sync/protocol';
import type { Rejection, SyncStatus } from '../../../shared/contract/contract';
import { touchedCaseIds, MutationArgs } from '../../../shared/sync/mutations';
import { countUnconfirmed, markPushed, pendingBatch, removeFromOutbox } from '../store/outbox';
import { getCursor } from '../store/meta';
import { addRejection } from '../store/rejections';
import { applyPullPage, rebaseCases } from './rebase';
import type { LocalActor } from './local-mutators';

export interface SyncClientOptions {
  serverUrl: string;
  db: LocalDb;
  actor: LocalActor & { clientId: string };
  accessToken: (clockOffsetMs: number) => Promise<string>;
  onStatus: (status: SyncStatus) => void;
  onCasesChanged: (ids: string[]) => void;
  onRejected: (rejection: Rejection) => void;
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
  private wantPush = true;
  private wantPull = true;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private status: SyncStatus;

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

  start(): void {
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
          .then((token) => cb({ token, clientId: this.opts.actor.clientId, protocolVersion: PROTOCOL_VERSION }))
          .catch(() => cb({ token: 'unavailable', clientId: this.opts.actor.clientId, protocolVersion: PROTOCOL_VERSION }));
      },
    });
    this.socket = socket;
    socket.on('connect', () => {
      this.update({ online: true, error: null });
      this.wantPush = true;
      this.wantPull = true;
      this.kick();
    });
    socket.on('disconnect', () => this.update({ online: false }));
    socket.on('connect_error', (err) => {
      this.update({ online: false, error: err.message });
      // The server refused the handshake: socket.io does not retry that by itself.
      if (!socket.active && !this.stopped) this.scheduleReconnect(err.message.startsWith('outdated_client') ? 60_000 : 3000);
    });
    socket.on(SyncEvents.poke, (raw: unknown) => {
      if (!Poke.safeParse(raw).success) return;
      this.wantPull = true;
      this.kick();
    });
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
    this.socket = null;
    this.update({ online: false });
  }

  /** Called after a local mutation was written to the outbox. */
  notifyLocalChange(): void {
    this.update({ pending: countUnconfirmed(this.opts.db, this.opts.actor.clientId) });
    this.wantPush = true;
    this.kick();
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
    this.loop()
      .catch((error: unknown) => {
        this.update({ error: error instanceof Error ? error.message : String(error) });
      })
      .finally(() => {
        this.running = false;
        this.update({ syncing: false, pending: countUnconfirmed(this.opts.db, this.opts.actor.clientId) });
        // Something asked for work while the last round was failing: try again shortly.
        if ((this.wantPush || this.wantPull) && this.socket?.connected && !this.stopped) setTimeout(() => this.kick(), 1000);
      });
  }

  private async loop(): Promise<void> {
    while (this.socket?.connected && (this.wantPush || this.wantPull)) {
      if (this.wantPush) {
        this.wantPush = false;
        await this.pushAll();
        this.wantPull = true;
      }
      if (this.wantPull) {
        this.wantPull = false;
        await this.pullAll();
      }
    }
  }

  private async pushAll(): Promise<void> {
    const { db, actor } = this.opts;
    for (;;) {
      const batch = pendingBatch(db, actor.clientId, MAX_PUSH_BATCH);
      if (batch.length === 0) return;
      const socket = this.socket;
      if (!socket?.connected) {
        this.wantPush = true;
        return;
      }
      const raw: unknown = await socket
        .timeout(this.opts.ackTimeoutMs ?? 15_000)
        .emitWithAck(SyncEvents.push, { clientId: actor.clientId, mutations: batch.map(({ state: _s, ...m }) => m) })
        .catch((error: unknown) => {
          this.wantPush = true;
          throw error;
        });
      const res = PushResponse.parse(raw);
      if (!res.ok) {
        this.wantPush = true;
        throw new Error(`push refused: ${res.error.code}: ${res.error.message}`);
      }
      this.applyOutcomes(res.outcomes);
      this.update({ pending: countUnconfirmed(db, actor.clientId) });
    }
  }

  private applyOutcomes(outcomes: readonly MutationOutcome[]): void {
    const { db, actor } = this.opts;
    const rejected: Rejection[] = [];
    const rolledBack: string[] = [];
    db.transaction(() => {
      for (const o of outcomes) {
        if (o.status !== 'rejected') {
          markPushed(db, actor.clientId, o.seq);
          continue;
        }
        const entry = removeFromOutbox(db, actor.clientId, o.seq);
        if (!entry) continue;
        const args = MutationArgs.createCase.safeParse(entry.args);
        const rejection: Rejection = {
          mutationId: entry.id,
          name: entry.name,
          caseNumber: args.success ? args.data.number : null,
          code: o.reason?.code ?? 'rejected',
          message: o.reason?.message ?? 'rejected by the server',
          at: Date.now(),
        };
        addRejection(db, actor.userId, rejection);
        // Roll the optimistic effect back: the view returns to confirmed state + remaining pending.
        const ids = touchedCaseIds(entry.name, entry.args);
        rebaseCases(db, actor, ids);
        rolledBack.push(...ids);
        rejected.push(rejection);
      }
    })();
    for (const r of rejected) this.opts.onRejected(r);
    if (rolledBack.length) this.opts.onCasesChanged(rolledBack);
  }

  private async pullAll(): Promise<void> {
    const { db, actor } = this.opts;
    for (;;) {
      const socket = this.socket;
      if (!socket?.connected) {
        this.wantPull = true;
        return;
      }
      const sentAt = Date.now();
      const raw: unknown = await socket
        .timeout(this.opts.ackTimeoutMs ?? 15_000)
        .emitWithAck(SyncEvents.pull, { cursor: getCursor(db), limit: this.opts.pullPageSize ?? MAX_PULL_PAGE })
        .catch((error: unknown) => {
          this.wantPull = true;
          throw error;
        });
      const res = PullResponse.parse(raw);
      if (!res.ok) {
        this.wantPull = true;
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
      if (result.changedCaseIds.length) this.opts.onCasesChanged(result.changedCaseIds);
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
