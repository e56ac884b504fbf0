import crypto from 'node:crypto';
import path from 'node:path';
import type { z } from 'zod';
import { contract, type MethodOutput, type SessionInfo, type SyncStatus } from '../../shared/contract/contract';
import { METHOD_NAMES, type MethodName } from '../../shared/contract/names';
import { AppFailure, fail, issuesToFields, ok, type Result } from '../../shared/result';
import { formatCaseNumber, type CaseDraft, type CaseView } from '../../shared/domain/case';
import { MutationArgs, touchedCaseIds, withExpectedRev, type MutationName } from '../../shared/sync/mutations';
import { getUser } from './store/users';
import { openLocalDb, type LocalDb } from './store/db';
import { stationKey, nextCaseSeq, setMeta, getMeta } from './store/meta';
import { claimCacheFor, findOfflineAccount, nextMutationSeq, rememberForOffline, upsertAccount, type Account } from './store/accounts';
import type { UserInfo } from '../../shared/domain/user';
import { checkVerifier, makeVerifier } from './offline-login';
import { addToOutbox, countUnconfirmed } from './store/outbox';
import { getCaseView, getCaseViewByNumber, listCallbackQueue, listCases, listWithUnits } from './store/cases';
import { OfflineReference } from './reference/offline-reference';
import type { DispatchSuggestion, StaffStep } from '../../shared/contract/contract';
import { isOpen, LifecycleError, Step, transition } from '../../shared/domain/lifecycle';
import { checkIntakeAnswers } from '../../shared/reference/intake';
import { MUTATION_OF_STEP } from '../../shared/sync/mutations';
import { getCategory, listCategories } from './store/reference';
import { dismissRejection, getRejection, listRejections } from './store/rejections';
import { localMutators } from './sync/local-mutators';
import { SyncClient } from './sync/client';
import { Session, getJson } from './session';
import { RatesReport } from '../../shared/domain/rates';
import { RATES_API_PATH, ratesQueryString, type RatesRequest } from '../../shared/rates/api';
import { ContractEvents } from './events';
import { timeOrderedUuid } from '../../shared/ids';
import { decide, holdRefusal, type Action, type PolicyObject } from '../../shared/policy/policy';

/** The policy's answer for the logged-in user; a refusal is a `forbidden` failure with its reason. */
function authorize(account: Account, action: Action, object?: PolicyObject): void {
  const decision = decide({ id: account.id, role: account.role, team: account.team }, action, object);
  if (!decision.ok) throw new AppFailure('forbidden', decision.reason);
}

export interface CoreOptions {
  dataDir: string;
  serverUrl: string;
  mode: 'electron' | 'browser';
  version: string;
  nativeBinding?: string | undefined;
  /** How long to wait for the server to acknowledge a push or pull before resending (default 15 s). */
  ackTimeoutMs?: number | undefined;
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
  private readonly reference: OfflineReference;

  constructor(private readonly opts: CoreOptions) {
    this.db = openLocalDb(path.join(opts.dataDir, 'workstation.sqlite'), { nativeBinding: opts.nativeBinding });
    this.session = new Session(opts.serverUrl.replace(/\/+$/, ''));
    this.reference = new OfflineReference(this.db);
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
        switch (input.scope) {
          case 'mine':
            return listCases(this.db, { mine: account.id, limit: input.limit });
          case 'team':
            return listCases(this.db, { team: account.team, limit: input.limit });
          case 'callback':
            return listCallbackQueue(this.db, account.team, input.limit);
          case 'withUnits':
            return listWithUnits(this.db, account.team, input.limit);
        }
      },
      'cases.get': (input) => {
        this.requireAccount();
        return this.caseView(input.caseId);
      },
      'cases.getMany': (input) => {
        this.requireAccount();
        const cases: CaseView[] = [];
        const missing: string[] = [];
        for (const id of input.ids) {
          const view = getCaseView(this.db, id);
          if (view) cases.push(view);
          else missing.push(id);
        }
        return { cases, missing };
      },
      'cases.step': (input) => this.step(input.caseId, input.step),
      'dispatch.suggest': (input) => this.suggest(input.caseId),
      'reference.units': () => this.reference.unitList().map((u) => ({ id: u.id, kind: u.kind, nameZh: u.nameZh, nameEn: u.nameEn })),
      'reference.sla': () => this.reference.slaPolicy(),
      'cases.reassign': (input) => this.reassignCase(input.caseId, input.toUserId),
      'reference.categories': () => listCategories(this.db),
      'sync.status': () => this.sync?.currentStatus ?? { ...OFFLINE_STATUS },
      'sync.rejections': () => listRejections(this.db, this.requireAccount().id),
      'sync.dismissRejection': (input) => {
        dismissRejection(this.db, this.requireAccount().id, input.mutationId);
        return null;
      },
      'sync.redo': (input) => {
        this.redo(input.mutationId);
        return null;
      },
      'rates.get': (input) => this.fetchRates(input),
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

  /** For hosts that learn the network is back (Electron's online event, browser mode's page). */
  reconnectNow(): void {
    this.sync?.reconnectNow();
  }

  /** Shuts down: waits for a running sync round to let go of the store, then closes it. */
  async close(): Promise<void> {
    const sync = this.sync;
    this.sync = null;
    await sync?.stop();
    this.db.close();
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
    // The round in flight stops at its next step; the store stays open for the next login.
    void this.sync?.stop();
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
      onProgress: (progress) => this.events.emit('sync.progress', progress),
      ackTimeoutMs: this.opts.ackTimeoutMs,
    });
    this.sync.start();
  }

  /**
   * Queues a mutation: the outbox row and its optimistic effect commit in one transaction, or not
   * at all. `build` runs inside that transaction (so numbers it takes are never lost or reused).
   */
  private enqueue(name: MutationName, build: () => unknown): string[] {
    const account = this.requireAccount();
    const actor = { userId: account.id, team: account.team, station: account.station };
    const ids = this.db.transaction(() => {
      const args = MutationArgs[name].parse(build());
      const at = Date.now();
      addToOutbox(this.db, {
        clientId: account.clientId,
        seq: nextMutationSeq(this.db, account.clientId),
        id: crypto.randomUUID(),
        name,
        args,
        at,
      });
      localMutators[name](this.db, actor, args, at);
      return touchedCaseIds(name, args);
    })();
    this.events.emit('cases.changed', { ids });
    if (this.sync) this.sync.notifyLocalChange();
    else this.events.emit('sync.status', { ...OFFLINE_STATUS, pending: countUnconfirmed(this.db, account.clientId) });
    return ids;
  }

  private createCase(draft: CaseDraft): CaseView {
    const account = this.requireAccount();
    authorize(account, 'case.create');
    const category = getCategory(this.db, draft.categoryCode);
    if (!category) throw new AppFailure('invalid_input', 'unknown category', { categoryCode: 'unknown_category' });
    // Malformed answers are refused; unanswered ones are not: a caller who hangs up mid-intake
    // still leaves a case. The intake form asks for every required answer first.
    const problems = checkIntakeAnswers(category.intakeQuestions, draft.answers, { requireAll: false });
    if (Object.keys(problems).length > 0) {
      throw new AppFailure(
        'invalid_input',
        'some intake answers are not valid',
        Object.fromEntries(Object.entries(problems).map(([key, code]) => [`answers.${key}`, code])),
      );
    }
    const offset = this.sync?.currentStatus.clockOffsetMs ?? 0;
    const [id] = this.enqueue('createCase', () => ({
      ...draft,
      id: timeOrderedUuid(),
      number: formatCaseNumber(account.station, nextCaseSeq(this.db)),
      createdAt: Date.now() + offset,
    }));
    const view = id ? getCaseView(this.db, id) : undefined;
    if (!view) throw new AppFailure('internal', 'case vanished after saving');
    return view;
  }

  private reassignCase(caseId: string, toUserId: string): CaseView {
    const account = this.requireAccount();
    authorize(account, 'case.reassign');
    const view = getCaseView(this.db, caseId);
    if (!view) throw new AppFailure('not_found', `case ${caseId} is not on this workstation`);
    const target = getUser(this.db, toUserId);
    // The directory on this workstation lists active accounts only.
    if (!target || holdRefusal({ role: target.role, active: true }) !== null) {
      throw new AppFailure('invalid_input', 'this user cannot take cases', { toUserId: 'cannot_take_cases' });
    }
    // The revision we see (confirmed + our pending changes) is the one the server must still have.
    this.enqueue('reassignCase', () => ({ caseId, toUserId, expectedRev: view.rev }));
    const after = getCaseView(this.db, caseId);
    if (!after) throw new AppFailure('internal', 'case vanished after saving');
    return after;
  }

  private caseView(caseId: string): CaseView {
    const view = getCaseView(this.db, caseId);
    if (!view) throw new AppFailure('not_found', `case ${caseId} is not on this workstation`);
    return view;
  }

  /**
   * Queues a lifecycle step against the revision this workstation sees. Steps that are plainly not
   * legal here are refused at once with the reason; the server checks everything again.
   */
  private step(caseId: string, input: StaffStep): CaseView {
    const account = this.requireAccount();
    const view = this.caseView(caseId);
    authorize(account, 'case.step', { caseTeam: view.team });
    let fields: Record<string, unknown>;
    if (input.action === 'merge') {
      const target = getCaseViewByNumber(this.db, input.intoNumber);
      if (!target) throw new AppFailure('invalid_input', `case ${input.intoNumber} is not on this workstation`, { intoNumber: 'case_not_found' });
      if (target.id === view.id) throw new AppFailure('invalid_input', 'a case cannot be merged into itself', { intoNumber: 'same_case' });
      if (!isOpen(target.status)) throw new AppFailure('invalid_input', `case ${target.number} is ${target.status}`, { intoNumber: 'target_not_open' });
      fields = { intoCaseId: target.id, intoNumber: target.number };
    } else {
      const { action: _a, ...rest } = input;
      fields = rest;
    }
    // The same transition the server will run, on what this workstation sees: plainly illegal steps stop here.
    try {
      const { pending: _p, ...record } = view;
      transition(record, Step.parse({ action: input.action, ...fields }), { at: Date.now(), actor: { kind: 'staff', id: account.id, station: account.station } });
    } catch (error) {
      if (!(error instanceof LifecycleError)) throw error;
      if (error.code === 'illegal_transition') throw new AppFailure('conflict', error.message);
      throw new AppFailure('invalid_input', error.message, { [input.action === 'dispatch' ? 'unitId' : 'step']: error.code });
    }
    if (input.action === 'answer' && getCategory(this.db, view.categoryCode)?.directAnswer !== true) {
      throw new AppFailure('invalid_input', 'this category is dispatched, not answered at intake', { answer: 'not_direct_answer' });
    }
    // Before the first pull brings the unit list, the server alone can tell.
    const units = this.reference.unitList();
    if (input.action === 'dispatch' && units.length > 0 && !units.some((u) => u.id === input.unitId)) {
      throw new AppFailure('invalid_input', `unit ${input.unitId} does not exist`, { unitId: 'unknown_unit' });
    }
    this.enqueue(MUTATION_OF_STEP[input.action], () => ({ caseId, expectedRev: view.rev, ...fields }));
    return this.caseView(caseId);
  }

  /** Dispatch suggestions from the routing data on this workstation (no server needed). */
  private suggest(caseId: string): DispatchSuggestion[] {
    this.requireAccount();
    const view = this.caseView(caseId);
    const router = this.reference.routerNow();
    if (!router) throw new AppFailure('not_found', 'routing data has not been synced to this workstation yet');
    let district = view.districtCode;
    let street = view.streetCode;
    if (!district) {
      const resolved = this.reference.geographyIndex()?.resolve(view.address);
      district = resolved?.district?.code ?? resolved?.street?.districtCode ?? null;
      street = resolved?.street?.code ?? null;
    }
    // A unit that handed the case back is not suggested again.
    const exclude = view.status === 'returned' && view.unitId ? [view.unitId] : [];
    const names = new Map(this.reference.unitList().map((u) => [u.id, u]));
    return router
      .suggest({ categoryCode: view.categoryCode, territory: { district: district ? { code: district } : undefined, street: street ? { code: street } : undefined }, excludeUnitIds: exclude })
      .map((s) => ({ ...s, nameZh: names.get(s.unitId)?.nameZh ?? s.unitId, nameEn: names.get(s.unitId)?.nameEn ?? s.unitId }));
  }

  /** The rates live on the server (they span every workstation's cases): no server, no rates. */
  private async fetchRates(request: RatesRequest): Promise<RatesReport> {
    const account = this.requireAccount();
    authorize(account, 'rates.read');
    let body: unknown;
    try {
      const token = await this.session.accessToken(this.sync?.currentStatus.clockOffsetMs ?? 0);
      body = await getJson(`${this.session.serverUrl}${RATES_API_PATH}?${ratesQueryString(request)}`, token);
    } catch (error) {
      if (error instanceof AppFailure && error.code === 'server_unreachable') {
        throw new AppFailure('server_unreachable', `the rates are computed by the central server, which cannot be reached now (${error.message})`);
      }
      throw error;
    }
    const parsed = RatesReport.safeParse(body);
    if (!parsed.success) throw new AppFailure('internal', 'the server sent rates in an unexpected shape');
    return parsed.data;
  }

  /** Repeats a conflicted action on the case as it is now. */
  private redo(mutationId: string): void {
    const account = this.requireAccount();
    const rejection = getRejection(this.db, account.id, mutationId);
    if (!rejection) throw new AppFailure('not_found', 'no such rejection');
    if (!rejection.redoable || !rejection.mutation) throw new AppFailure('invalid_input', 'this action cannot be redone');
    const { name, args } = rejection.mutation;
    const caseId = touchedCaseIds(name, args)[0];
    const view = caseId ? getCaseView(this.db, caseId) : undefined;
    if (!view) throw new AppFailure('not_found', 'the case is no longer on this workstation');
    this.enqueue(name, () => withExpectedRev(name, args, view.rev));
    dismissRejection(this.db, account.id, mutationId);
  }
}
