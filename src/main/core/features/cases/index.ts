import type { StaffStep } from '../../../../shared/contract/contract';
import { formatCaseNumber, type CaseDraft, type CaseView } from '../../../../shared/domain/case';
import { isOpen, LifecycleError, Step, transition } from '../../../../shared/domain/lifecycle';
import { numberPrefix } from '../../../../shared/domain/space';
import { timeOrderedUuid } from '../../../../shared/ids';
import { holdRefusal } from '../../../../shared/policy/policy';
import { callerWithheld, withoutCaller } from '../../../../shared/domain/amend';
import { checkIntakeAnswers } from '../../../../shared/reference/intake';
import { AppFailure } from '../../../../shared/result';
import { MUTATION_OF_STEP } from '../../../../shared/sync/mutations';
import { callbackRequired } from '../../../../shared/reference/sla';
import type { Feature } from '../../feature';
import type { CoreContext } from '../../context';
import { nextCaseSeq } from '../../store/meta';
import { getCategory, getUser, type ReferenceService } from '../reference';
import type { SyncService } from '../sync';
import { casesOfCaller, categoryUsage, searchCases, USAGE_WINDOW_MS } from './search';
import { similarCases } from './similar';
import { deleteDraft } from '../drafts';
import { getJson, type HttpSession } from '../session/http-session';
import { CASE_SEARCH_PATH, CaseSearchResult } from '../../../../shared/cases/api';
import { getCaseView, getCaseViewByNumber, listCallbackQueue, listCases, listMyOpenCases, listReturned, listWithUnits, type StoredCase } from './store';

export { getCaseView } from './store';

/** The cases on this workstation as other features may read them. */
export class CasesService {
  constructor(private readonly ctx: CoreContext) {}

  /** The case as stored here (a confidential caller included: for the core's own checks). */
  view(caseId: string): StoredCase {
    const view = getCaseView(this.ctx.store(), caseId);
    if (!view) throw new AppFailure('not_found', `case ${caseId} is not on this workstation`);
    return view;
  }

  /** The case as this user may see it. */
  shown(caseId: string): CaseView {
    return this.present(this.view(caseId));
  }

  /**
   * What leaves the core for the screen: a confidential caller's name and numbers stay blank
   * unless this user registered the case or revealed the caller with a reason (logged).
   */
  present(view: StoredCase): CaseView {
    const account = this.ctx.account;
    if (!account || !callerWithheld(view, account.id)) return { ...view, callerHidden: false };
    return { ...withoutCaller(view), callerHidden: true };
  }
}

/** cases.*: intake, the lists, one case, lifecycle steps and reassignment — all queued, offline too. */
export function casesFeature(ctx: CoreContext, deps: { cases: CasesService; reference: ReferenceService; sync: SyncService; http: HttpSession }): Feature {
  const { cases, reference, sync, http } = deps;

  /** The server's search: what this workstation no longer (or never) held. */
  const searchServer = async (q: string, limit: number): Promise<{ cases: CaseView[]; matchedBy: 'number' | 'phone' | 'text' }> => {
    ctx.authorize('case.search');
    let body: unknown;
    try {
      const token = await http.accessToken(sync.clockOffsetMs);
      body = await getJson(`${http.serverUrl}${CASE_SEARCH_PATH}?${new URLSearchParams({ q, limit: String(limit) }).toString()}`, token);
    } catch (error) {
      if (error instanceof AppFailure && error.code === 'server_unreachable') {
        throw new AppFailure('server_unreachable', `older cases are searched on the central server, which cannot be reached now (${error.message})`);
      }
      throw error;
    }
    const parsed = CaseSearchResult.safeParse(body);
    if (!parsed.success) throw new AppFailure('internal', 'the server sent search results in an unexpected shape');
    return { matchedBy: parsed.data.matchedBy, cases: parsed.data.cases.map((c) => ({ ...c, pending: false })) };
  };

  const register = (draft: CaseDraft): StoredCase => {
    const account = ctx.authorize('case.create');
    const db = ctx.store();
    // Only an anonymous caller may leave no number (a withheld caller id); nobody is called back then.
    if (draft.callerPhone === '' && !draft.anonymous) throw new AppFailure('invalid_input', 'the caller’s number is required', { callerPhone: 'required' });
    const category = getCategory(db, draft.categoryCode);
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
    const [created] = ctx.enqueue('createCase', () => ({
      ...draft,
      callerName: draft.anonymous ? '' : draft.callerName,
      id: timeOrderedUuid(),
      number: formatCaseNumber(numberPrefix(account.space, account.station), nextCaseSeq(db)),
      createdAt: Date.now() + sync.clockOffsetMs,
    }));
    const view = created ? getCaseView(db, created.id) : undefined;
    if (!view) throw new AppFailure('internal', 'case vanished after saving');
    return view;
  };

  /**
   * Registers the case, its next step (a dispatch or a direct answer) and the end of its draft in
   * one transaction: all of it is saved, or (the step refused) none of it, and the form keeps it.
   */
  const create = (input: CaseDraft & { draftId?: string | undefined; then?: StaffStep | undefined }): CaseView => {
    const { draftId, then, ...draft } = input;
    const db = ctx.store();
    const id = db.transaction(() => {
      const registered = register(draft);
      if (then) step(registered.id, then);
      if (draftId) deleteDraft(db, ctx.requireAccount().id, draftId);
      return registered.id;
    })();
    return cases.shown(id);
  };

  /** A change that is not a lifecycle step, queued on the case as this workstation sees it. */
  const amend = (caseId: string, action: 'case.step' | 'case.reveal', queue: (view: StoredCase) => void): CaseView => {
    const view = cases.view(caseId);
    ctx.authorize(action, { caseTeam: view.team });
    queue(view);
    return cases.shown(caseId);
  };

  const reassign = (caseId: string, toUserId: string): CaseView => {
    ctx.authorize('case.reassign');
    const db = ctx.store();
    const view = cases.view(caseId);
    const target = getUser(db, toUserId);
    // The directory on this workstation lists active accounts only.
    if (!target || holdRefusal({ role: target.role, active: true }) !== null) {
      throw new AppFailure('invalid_input', 'this user cannot take cases', { toUserId: 'cannot_take_cases' });
    }
    // The revision we see (confirmed + our pending changes) is the one the server must still have.
    ctx.enqueue('reassignCase', () => ({ caseId, toUserId, expectedRev: view.rev }));
    return cases.shown(caseId);
  };

  /**
   * Queues a lifecycle step against the revision this workstation sees. Steps that are plainly not
   * legal here are refused at once with the reason; the server checks everything again.
   */
  const step = (caseId: string, input: StaffStep): CaseView => {
    const db = ctx.store();
    const view = cases.view(caseId);
    const account = ctx.authorize('case.step', { caseTeam: view.team });
    let fields: Record<string, unknown>;
    if (input.action === 'merge') {
      const target = getCaseViewByNumber(db, input.intoNumber);
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
    const policy = reference.now().slaPolicy();
    if (input.action === 'close' && view.status === 'replied' && (policy === null || callbackRequired(view.contactType, policy))) {
      throw new AppFailure('invalid_input', `a ${view.contactType} is called back and evaluated before it closes`, { step: 'callback_required' });
    }
    if (input.action === 'answer' && getCategory(db, view.categoryCode)?.directAnswer !== true) {
      throw new AppFailure('invalid_input', 'this category is dispatched, not answered at intake', { answer: 'not_direct_answer' });
    }
    // Before the first pull brings the unit list, the server alone can tell.
    const units = reference.now().unitList();
    if (input.action === 'dispatch' && units.length > 0 && !units.some((u) => u.id === input.unitId)) {
      throw new AppFailure('invalid_input', `unit ${input.unitId} does not exist`, { unitId: 'unknown_unit' });
    }
    ctx.enqueue(MUTATION_OF_STEP[input.action], () => ({ caseId, expectedRev: view.rev, ...fields }));
    return cases.shown(caseId);
  };

  return {
    name: 'cases',
    handlers: {
      'cases.create': (input) => create(input),
      'cases.list': (input) => {
        const account = ctx.requireAccount();
        const db = ctx.store();
        const policy = reference.now().slaPolicy();
        const list = (): StoredCase[] => {
          switch (input.scope) {
            case 'mine':
              return listMyOpenCases(db, account.id, policy, input.limit);
            case 'team':
              return listCases(db, { team: account.team, limit: input.limit });
            case 'callback':
              return listCallbackQueue(db, account.team, policy, input.limit);
            case 'withUnits':
              return listWithUnits(db, account.team, policy, input.limit);
            case 'returned':
              return listReturned(db, account.team, policy, input.limit);
          }
        };
        return list().map((v) => cases.present(v));
      },
      'cases.get': (input) => {
        ctx.requireAccount();
        return cases.shown(input.caseId);
      },
      'cases.getMany': (input) => {
        ctx.requireAccount();
        const db = ctx.store();
        const found: CaseView[] = [];
        const missing: string[] = [];
        for (const id of input.ids) {
          const view = getCaseView(db, id);
          if (view) found.push(cases.present(view));
          else missing.push(id);
        }
        return { cases: found, missing };
      },
      'cases.step': (input) => step(input.caseId, input.step),
      'cases.reassign': (input) => reassign(input.caseId, input.toUserId),
      'cases.categoryUsage': () => categoryUsage(ctx.store(), ctx.requireAccount().id, Date.now() - USAGE_WINDOW_MS),
      'cases.search': (input) => {
        ctx.requireAccount();
        const found = searchCases(ctx.store(), input.q, input.limit);
        return { cases: found.cases.map((c) => cases.present(c)), more: found.more };
      },
      'cases.searchServer': (input) => searchServer(input.q, input.limit),
      'cases.history': (input) => {
        ctx.requireAccount();
        return casesOfCaller(ctx.store(), input.phone, input.limit).map((c) => cases.present(c));
      },
      'cases.similar': (input) => {
        ctx.requireAccount();
        return similarCases(ctx.store(), reference.now().geographyIndex(), input, (c) => cases.present(c));
      },
      'cases.amend': (input) =>
        amend(input.caseId, 'case.step', () => {
          ctx.enqueue('amendCase', () => ({ caseId: input.caseId, changes: input.changes }));
        }),
      'cases.repeatCall': (input) =>
        amend(input.caseId, 'case.step', (view) => {
          if (!isOpen(view.status)) throw new AppFailure('conflict', `case ${view.number} is ${view.status}: register the call as a new case, or reopen it`);
          ctx.enqueue('repeatCall', () => ({ caseId: input.caseId, note: input.note }));
        }),
      'cases.callbackAttempt': (input) =>
        amend(input.caseId, 'case.step', (view) => {
          if (view.status !== 'replied') throw new AppFailure('conflict', `case ${view.number} is ${view.status}: it does not wait for a callback`);
          ctx.enqueue('callbackAttempt', () => ({ caseId: input.caseId, expectedRev: view.rev, ...input.attempt }));
        }),
      'cases.revealCaller': (input) =>
        amend(input.caseId, 'case.reveal', (view) => {
          if (!view.confidential) throw new AppFailure('invalid_input', `case ${view.number} is not confidential`, { reason: 'not_confidential' });
          ctx.enqueue('revealCaller', () => ({ caseId: input.caseId, reason: input.reason }));
        }),
    },
  };
}
