import type { SyncStatus } from '../../../../shared/contract/contract';
import { AppFailure } from '../../../../shared/result';
import { touchedEntities, withExpectedRev } from '../../../../shared/sync/mutations';
import type { Feature } from '../../feature';
import type { CoreContext, SessionAccount } from '../../context';
import { SyncClient } from '../../sync/client';
import { countUnconfirmed } from '../../store/outbox';
import { dismissRejection, getRejection, listRejections } from '../../store/rejections';
import { LOCAL_ENTITIES, notifyChanged } from '../../entities';
import type { HttpSession } from '../session/http-session';

export const OFFLINE_STATUS: SyncStatus = { online: false, pending: 0, syncing: false, lastSyncAt: null, clockOffsetMs: 0, error: null };

/** The sync client of the session: started at login, stopped at logout, told of every queued change. */
export class SyncService {
  private client: SyncClient | null = null;
  /** Told when the server ended the session (the session feature logs out). */
  onSessionEnded: (reason: string) => void = () => undefined;

  constructor(
    private readonly ctx: CoreContext,
    private readonly http: HttpSession,
  ) {
    ctx.onEnqueued((account) => {
      if (this.client) this.client.notifyLocalChange();
      else ctx.events.emit('sync.status', { ...OFFLINE_STATUS, pending: countUnconfirmed(ctx.store(), account.clientId) });
    });
  }

  get status(): SyncStatus {
    return this.client?.currentStatus ?? { ...OFFLINE_STATUS };
  }

  /** serverTime - localTime as last measured (0 before the first pull). */
  get clockOffsetMs(): number {
    return this.client?.currentStatus.clockOffsetMs ?? 0;
  }

  start(account: SessionAccount): void {
    const { events } = this.ctx;
    this.client = new SyncClient({
      serverUrl: this.http.serverUrl,
      db: this.ctx.openSpace(account.space),
      actor: { userId: account.id, team: account.team, station: account.station, clientId: account.clientId },
      accessToken: (offset) => this.http.accessToken(offset),
      onStatus: (status) => events.emit('sync.status', status),
      onChanged: (changed) => notifyChanged(events, changed),
      onRejected: (rejection) => events.emit('sync.rejected', rejection),
      onProgress: (progress) => events.emit('sync.progress', progress),
      onSessionEnded: (reason) => this.onSessionEnded(reason),
      ackTimeoutMs: this.ctx.opts.ackTimeoutMs,
    });
    this.client.start();
  }

  /** Stops syncing; resolves once a running round has let go of the store. */
  stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    return client?.stop() ?? Promise.resolve();
  }

  reconnectNow(): void {
    this.client?.reconnectNow();
  }
}

/** sync.*: the sync status, the changes the server refused, and redoing a conflicted one. */
export function syncFeature(ctx: CoreContext, sync: SyncService): Feature {
  /** Repeats a conflicted action on the entity as it is now. */
  const redo = (mutationId: string): void => {
    const account = ctx.requireAccount();
    const db = ctx.store();
    const rejection = getRejection(db, account.id, mutationId);
    if (!rejection) throw new AppFailure('not_found', 'no such rejection');
    if (!rejection.redoable || !rejection.mutation) throw new AppFailure('invalid_input', 'this action cannot be redone');
    const { name, args } = rejection.mutation;
    const subject = touchedEntities(name, args)[0];
    const rev = subject ? LOCAL_ENTITIES[subject.entity].revision?.(db, subject.id) : undefined;
    if (!subject || rev === undefined) throw new AppFailure('not_found', 'the case is no longer on this workstation');
    ctx.enqueue(name, () => withExpectedRev(name, args, rev));
    dismissRejection(db, account.id, mutationId);
  };
  return {
    name: 'sync',
    handlers: {
      'sync.status': () => sync.status,
      'sync.rejections': () => listRejections(ctx.store(), ctx.requireAccount().id),
      'sync.dismissRejection': (input) => {
        dismissRejection(ctx.store(), ctx.requireAccount().id, input.mutationId);
        return null;
      },
      'sync.redo': (input) => {
        redo(input.mutationId);
        return null;
      },
    },
  };
}
