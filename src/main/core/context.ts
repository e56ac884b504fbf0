import crypto from 'node:crypto';
import path from 'node:path';
import { AppFailure } from '../../shared/result';
import type { Space } from '../../shared/domain/space';
import { decide, type Action, type PolicyObject } from '../../shared/policy/policy';
import { MutationArgs, touchedEntities, type MutationName } from '../../shared/sync/mutations';
import type { EntityRef } from '../../shared/sync/entities';
import { ContractEvents } from './events';
import { openLocalDb, type LocalDb } from './store/db';
import { nextMutationSeq, type Account } from './store/accounts';
import { addToOutbox } from './store/outbox';
import { LOCAL_MUTATORS, notifyChanged } from './entities';
import { changedOfRefs } from './sync/local';

export interface CoreOptions {
  dataDir: string;
  serverUrl: string;
  /** Accept a plain-http server URL that is not loopback (default: HOTLINE_ALLOW_INSECURE_SERVER=1). */
  allowInsecureServer?: boolean;
  mode: 'electron' | 'browser';
  version: string;
  nativeBinding?: string | undefined;
  /**
   * The key of the local stores (SQLCipher, store/cipher.ts), already unwrapped by whoever holds it
   * (store/cache-key.ts: the user's password, or the OS keychain in the desktop app). Without it
   * the stores are plain SQLite files (0600 in a 0700 dir).
   */
  storeKey?: Buffer | undefined;
  /** How long to wait for the server to acknowledge a push or pull before resending (default 15 s). */
  ackTimeoutMs?: number | undefined;
}

/** The logged-in user on this workstation: their account in the space's store, station and space. */
export type SessionAccount = Account & { station: string; space: Space };

/** The local file of each data space: practice never shares a file with the city's cases. */
const SPACE_FILES: Readonly<Record<Space, string>> = { live: 'workstation.sqlite', training: 'training.sqlite' };

/** What happens after a mutation is queued: the sync feature pushes it (or reports it pending). */
export type AfterEnqueue = (account: SessionAccount) => void;

/**
 * What every feature of the core shares: the options, the event emitter, the stores of the data
 * spaces, who is logged in (and in which space), and the one way to queue a change.
 */
export class CoreContext {
  readonly events = new ContractEvents();
  /**
   * The live space's store, always open: it also holds what belongs to the workstation rather
   * than to a space (its station key, the offline-login verifiers).
   */
  readonly home: LocalDb;
  private readonly spaceStores = new Map<Space, LocalDb>();
  private current: SessionAccount | null = null;
  private afterEnqueue: AfterEnqueue = () => undefined;

  constructor(readonly opts: CoreOptions) {
    this.home = this.openSpace('live');
  }

  /** Opens (once) the local store of a data space. */
  openSpace(space: Space): LocalDb {
    let db = this.spaceStores.get(space);
    if (!db) {
      db = openLocalDb(path.join(this.opts.dataDir, SPACE_FILES[space]), { nativeBinding: this.opts.nativeBinding, key: this.opts.storeKey });
      this.spaceStores.set(space, db);
    }
    return db;
  }

  /** The store of the session's space (the live one before anybody logs in). */
  store(): LocalDb {
    return this.current ? this.openSpace(this.current.space) : this.home;
  }

  get account(): SessionAccount | null {
    return this.current;
  }

  setAccount(account: SessionAccount | null): void {
    this.current = account;
  }

  requireAccount(): SessionAccount {
    if (!this.current) throw new AppFailure('not_logged_in', 'log in first');
    return this.current;
  }

  /** The policy's answer for the logged-in user; a refusal is a `forbidden` failure with its reason. */
  authorize(action: Action, object?: PolicyObject): SessionAccount {
    const account = this.requireAccount();
    const decision = decide({ id: account.id, role: account.role, team: account.team, space: account.space }, action, object);
    if (!decision.ok) throw new AppFailure('forbidden', decision.reason);
    return account;
  }

  onEnqueued(hook: AfterEnqueue): void {
    this.afterEnqueue = hook;
  }

  /**
   * Queues a mutation: the outbox row and its optimistic effect commit in one transaction, or not
   * at all. `build` runs inside that transaction (so numbers it takes are never lost or reused).
   * Returns the entities it touched.
   */
  enqueue(name: MutationName, build: () => unknown): EntityRef[] {
    const account = this.requireAccount();
    const db = this.store();
    const actor = { userId: account.id, team: account.team, station: account.station };
    const touched = db.transaction(() => {
      const args = MutationArgs[name].parse(build());
      const at = Date.now();
      addToOutbox(db, { clientId: account.clientId, seq: nextMutationSeq(db, account.clientId), id: crypto.randomUUID(), name, args, at });
      LOCAL_MUTATORS[name](db, actor, args, at);
      return touchedEntities(name, args);
    })();
    const notify = () => {
      notifyChanged(this.events, changedOfRefs(touched));
      this.afterEnqueue(account);
    };
    // Queued inside a larger transaction (a case and its dispatch, saved with one key): nothing may
    // be pushed or announced before that commits — or rolls back, which leaves nothing to push.
    if (db.inTransaction) queueMicrotask(notify);
    else notify();
    return touched;
  }

  close(): void {
    for (const db of this.spaceStores.values()) db.close();
    this.spaceStores.clear();
  }
}
