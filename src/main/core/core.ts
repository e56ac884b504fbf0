import crypto from 'node:crypto';
import path from 'node:path';
import type { z } from 'zod';
import { contract, type MethodOutput, type SessionInfo, type SyncStatus } from '../../shared/contract/contract';
import { METHOD_NAMES, type MethodName } from '../../shared/contract/names';
import { AppFailure, fail, issuesToFields, ok, type Result } from '../../shared/result';
import { formatCaseNumber, type CaseDraft, type CaseView } from '../../shared/domain/case';
import { MutationArgs } from '../../shared/sync/mutations';
import { openLocalDb, type LocalDb } from './store/db';
import { stationKey, nextCaseSeq, setMeta, getMeta } from './store/meta';
import { claimCacheFor, findOfflineAccount, nextMutationSeq, rememberForOffline, upsertAccount, type Account } from './store/accounts';
import type { UserInfo } from '../../shared/domain/user';
import { checkVerifier, makeVerifier } from './offline-login';
import { addToOutbox, countUnconfirmed } from './store/outbox';
import { getCaseView, listCases } from './store/cases';
import { categoryExists, listCategories } from './store/reference';
import { dismissRejection, listRejections } from './store/rejections';
import { localMutators } from './sync/local-mutators';
import { SyncClient } from './sync/client';
import { Session } from './session';
import { ContractEvents } from './events';

export interface CoreOptions {
  dataDir: string;
  serverUrl: string;
  mode: 'electron' | 'browser';
  version: string;
  nativeBinding?: string | undefined;
}

type Handlers = { [M in MethodName]: (input: z.output<(typeof contract.methods)[M]['input']>) => Promise<MethodOutput<M>> | MethodOutput<M> };

const OFFLINE_STATUS: SyncStatus = { online: false, pending: 0, syncing: false, lastSyncAt: null, clockOffsetMs: 0, error: null };

/**
 * The workstation core: everything an operator does goes through `invoke`, which validates the
 * input against the contract, runs the handler and returns a Result. It never imports electron.
 */
export class WorkstationCore {
  readonly events = new ContractEvents();
  private readonly db: LocalDb;
  private readonly session: Session;
  private account: (Account & { station: string }) | null = null;
  private sync: SyncClient | null = null;
  private readonly handlers: Handlers;

  constructor(private readonly opts: CoreOptions) {
    this.db = openLocalDb(path.join(opts.dataDir, 'workstation.sqlite'), { nativeBinding: opts.nativeBinding });
    this.session = new Session(opts.serverUrl.replace(/\/+$/, ''));
    this.handlers = {
      'app.info': () => ({ version: opts.version, mode: opts.mode, dataDir: opts.dataDir }),
      'session.login': (input) => this.login(input.username, input.password),
      'session.logout': () => {
        this.logout();
        return null;
      },
      'session.current': () => this.sessionInfo(),
      'cases.create': (input) => this.createCase(input),
      'cases.list': (input) => {
        const account = this.requireAccount();
        return input.scope === 'mine'
          ? listCases(this.db, { createdBy: account.id, limit: input.limit })
          : listCases(this.db, { team: account.team, limit: input.limit });
      },
      'reference.categories': () => listCategories(this.db),
      'sync.status': () => this.sync?.currentStatus ?? { ...OFFLINE_STATUS },
      'sync.rejections': () => listRejections(this.db, this.requireAccount().id),
      'sync.dismissRejection': (input) => {
        dismissRejection(this.db, this.requireAccount().id, input.mutationId);
        return null;
      },
    };
  }

  async invoke(method: string, input: unknown): Promise<Result<unknown>> {
    if (!(METHOD_NAMES as readonly string[]).includes(method)) return fail('unknown_method', `unknown method ${method}`);
    const name = method as MethodName;
    const spec = contract.methods[name];
    const parsed = spec.input.safeParse(input ?? {});
    if (!parsed.success) return fail('invalid_input', 'invalid input', issuesToFields(parsed.error));
    try {
      const handler = this.handlers[name] as (input: unknown) => unknown;
      const value = await handler(parsed.data);
      // The output is checked too: the contract is a promise to the renderer.
      return ok(spec.output.parse(value));
    } catch (error) {
      if (error instanceof AppFailure) return { ok: false, error: error.toAppError() };
      return fail('internal', error instanceof Error ? error.message : String(error));
    }
  }

  async close(): Promise<void> {
    this.sync?.stop();
    this.sync = null;
    this.db.close();
    return Promise.resolve();
  }

  private sessionInfo(): SessionInfo | null {
    if (!this.account) return null;
    const { clientId: _c, station, ...user } = this.account;
    return { user, station, serverUrl: this.session.serverUrl };
  }

  private requireAccount(): Account & { station: string } {
    if (!this.account) throw new AppFailure('not_logged_in', 'log in first');
    return this.account;
  }

  private async login(username: string, password: string): Promise<SessionInfo> {
    if (this.account) this.logout();
    const key = stationKey(this.db);
    let user: UserInfo;
    let station: string;
    try {
      const res = await this.session.login(username, password, key);
      user = res.user;
      station = res.station;
      upsertAccount(this.db, user);
      rememberForOffline(this.db, user.id, station, makeVerifier(password));
    } catch (error) {
      // Server down: an operator who has worked here before may go on offline and sync later.
      if (!(error instanceof AppFailure && error.code === 'server_unreachable')) throw error;
      const offline = findOfflineAccount(this.db, username.trim());
      if (!offline) throw new AppFailure('server_unreachable', `${error.message}; offline login works only for users who logged in here before`);
      if (!checkVerifier(password, offline.verifier)) throw new AppFailure('invalid_credentials', 'wrong username or password');
      this.session.startOffline(username.trim(), password, key);
      user = offline.user;
      station = offline.station;
    }
    const account = upsertAccount(this.db, user);
    claimCacheFor(this.db, account.id);
    const known = getMeta(this.db, 'station_code');
    if (known && known !== station) throw new AppFailure('internal', `station code changed from ${known} to ${station}`);
    setMeta(this.db, 'station_code', station);
    this.account = { ...account, station };
    this.startSync();
    const info = this.sessionInfo();
    this.events.emit('session.changed', info);
    if (!info) throw new AppFailure('internal', 'session lost');
    return info;
  }

  private logout(): void {
    this.sync?.stop();
    this.sync = null;
    this.session.logout();
    this.account = null;
    this.events.emit('session.changed', null);
    this.events.emit('sync.status', { ...OFFLINE_STATUS });
  }

  private startSync(): void {
    const account = this.requireAccount();
    const actor = { userId: account.id, team: account.team, station: account.station, clientId: account.clientId };
    this.sync = new SyncClient({
      serverUrl: this.session.serverUrl,
      db: this.db,
      actor,
      accessToken: (offset) => this.session.accessToken(offset),
      onStatus: (status) => this.events.emit('sync.status', status),
      onCasesChanged: (ids) => this.events.emit('cases.changed', { ids }),
      onRejected: (rejection) => this.events.emit('sync.rejected', rejection),
    });
    this.sync.start();
  }

  private createCase(draft: CaseDraft): CaseView {
    const account = this.requireAccount();
    if (!categoryExists(this.db, draft.categoryCode)) {
      throw new AppFailure('invalid_input', 'unknown category', { categoryCode: 'unknown_category' });
    }
    const offset = this.sync?.currentStatus.clockOffsetMs ?? 0;
    const actor = { userId: account.id, team: account.team, station: account.station };
    // The outbox row and the optimistic effect commit together, or not at all.
    const id = this.db.transaction(() => {
      const number = formatCaseNumber(account.station, nextCaseSeq(this.db));
      const args = MutationArgs.createCase.parse({ ...draft, id: crypto.randomUUID(), number, createdAt: Date.now() + offset });
      addToOutbox(this.db, {
        clientId: account.clientId,
        seq: nextMutationSeq(this.db, account.clientId),
        id: crypto.randomUUID(),
        name: 'createCase',
        args,
        at: Date.now(),
      });
      localMutators.createCase(this.db, actor, args);
      return args.id;
    })();
    const view = getCaseView(this.db, id);
    if (!view) throw new AppFailure('internal', 'case vanished after saving');
    this.events.emit('cases.changed', { ids: [id] });
    if (this.sync) this.sync.notifyLocalChange();
    else this.events.emit('sync.status', { ...OFFLINE_STATUS, pending: countUnconfirmed(this.db, account.clientId) });
    return view;
  }
}
