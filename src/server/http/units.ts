import type http from 'node:http';
import { z } from 'zod';
import type { Database } from '../db/driver';
import type { Logger } from '../log';
import type { Poke } from '../../shared/sync/protocol';
import type { CaseRecord } from '../../shared/domain/case';
import { deadlineState } from '../../shared/reference/sla';
import { UNIT_API_BASE, UnitStepBodies, UnitStepName, type UnitCase, type UnitCaseList } from '../../shared/units/api';
import type { ReferenceSet } from '../reference/reference-set';
import { authenticateApiKey } from '../store/api-keys';
import { casesOfUnit, findCaseByNumber } from '../store/cases';
import { writeTx } from '../lifecycle/write';
import { StepRefused, takeStep } from '../lifecycle/steps';
import { HttpError, readJson, sendJson } from './json';

export interface UnitApiDeps {
  db: Database;
  ref: ReferenceSet;
  log: Logger;
  poke: (pokes: readonly Poke[]) => void;
}

/** Statuses in which a case waits for its unit. */
const UNIT_OPEN = ['dispatched', 'accepted'] as const;

function presentedKey(req: http.IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const header = req.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : null;
}

function state(done: boolean, start: number | null, deadline: number | null, now: number, ref: ReferenceSet): UnitCase['signState'] {
  if (done) return 'done';
  if (start === null || deadline === null) return 'on_time';
  return deadlineState(start, deadline, now, ref.bundle.sla);
}

/** District and street/township names of where the case resolved: no house number, no flat. */
function streetLevel(c: CaseRecord, ref: ReferenceSet): string {
  const street = c.streetCode ? ref.geography.street(c.streetCode) : undefined;
  const district = ref.geography.district(street?.districtCode ?? c.districtCode ?? '');
  return `${district?.nameZh ?? ''}${street?.nameZh ?? ''}`;
}

/** A unit holds a case while it is dispatched to it and not yet replied to or handed back. */
export function unitHolds(c: CaseRecord, unitId: string): boolean {
  return c.unitId === unitId && (UNIT_OPEN as readonly string[]).includes(c.status);
}

/**
 * A case as its unit sees it. Once the unit no longer holds it (it returned it, or replied), the
 * caller's name, number and callback window are withheld: the unit has no more call to make.
 */
export function toUnitCase(c: CaseRecord, ref: ReferenceSet, now = Date.now(), holds = true): UnitCase {
  const withheld = c.confidential || !holds;
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    rev: c.rev,
    categoryCode: c.categoryCode,
    // The caller's address (house, flat) only while the unit has work to do there.
    address: holds ? c.address : streetLevel(c, ref),
    description: c.description,
    // A confidential caller's identity never leaves the hotline; an anonymous one has no name.
    callerName: withheld || c.anonymous || c.callerName === '' ? null : c.callerName,
    callerPhone: withheld ? null : c.callbackPhone ?? (c.callerPhone === '' ? null : c.callerPhone),
    callbackWindow: withheld ? null : c.callbackWindow,
    contactType: c.contactType,
    urgency: c.urgency,
    language: c.language,
    interpreter: c.interpreter,
    confidential: c.confidential,
    answers: c.answers,
    districtCode: c.districtCode,
    streetCode: c.streetCode,
    dispatchedAt: c.dispatchedAt,
    signBy: c.signBy,
    replyBy: c.replyBy,
    acceptedAt: c.acceptedAt,
    repliedAt: c.repliedAt,
    reply: c.reply,
    signState: state(c.acceptedAt !== null || c.status !== 'dispatched', c.dispatchedAt, c.signBy, now, ref),
    replyState: state(c.repliedAt !== null || !(UNIT_OPEN as readonly string[]).includes(c.status), c.dispatchedAt, c.replyBy, now, ref),
  };
}

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, 'invalid_input', z.prettifyError(parsed.error));
  return parsed.data;
}

const STEP_STATUS: Record<StepRefused['code'], number> = {
  illegal_transition: 409,
  invalid_step: 409,
  wrong_actor: 403,
  unknown_unit: 400,
  not_found: 404,
};

/**
 * The unit API: `GET /cases` (this unit's open cases), `GET /cases/{number}`, and
 * `POST /cases/{number}/{accept|return|reply}`. A unit only ever sees cases dispatched to it;
 * any other case number answers 404, exactly as one that does not exist.
 */
export async function handleUnitApi(deps: UnitApiDeps, req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<boolean> {
  if (!url.pathname.startsWith(`${UNIT_API_BASE}/`)) return false;
  const key = presentedKey(req);
  const owner = key ? await authenticateApiKey(deps.db, key, 'unit') : null;
  if (!owner) throw new HttpError(401, 'unauthenticated', 'a valid unit API key is required (Authorization: Bearer <key>)');
  const unitId = owner.owner;
  const rest = url.pathname.slice(UNIT_API_BASE.length + 1).split('/');

  if (rest.length === 1 && rest[0] === 'cases') {
    if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET');
    const open = await casesOfUnit(deps.db, unitId, UNIT_OPEN);
    const now = Date.now();
    const body: UnitCaseList = { unitId, cases: open.map((c) => toUnitCase(c, deps.ref, now)) };
    sendJson(res, 200, body);
    return true;
  }

  const number = rest[1];
  if (rest[0] !== 'cases' || number === undefined || rest.length > 3) throw new HttpError(404, 'not_found', 'no such endpoint');
  const notYours = () => new HttpError(404, 'not_found', `case ${number} not found among this unit's cases`);

  if (rest.length === 2) {
    if (req.method !== 'GET') throw new HttpError(405, 'method_not_allowed', 'use GET');
    const found = await findCaseByNumber(deps.db, number);
    if (!found || found.unitId !== unitId) throw notYours();
    sendJson(res, 200, { case: toUnitCase(found, deps.ref, Date.now(), unitHolds(found, unitId)) });
    return true;
  }

  const stepName = UnitStepName.safeParse(rest[2]);
  if (!stepName.success) throw new HttpError(404, 'not_found', 'no such endpoint');
  if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'use POST');
  const body = parseBody(UnitStepBodies[stepName.data] as z.ZodType<{ expectedRev?: number | undefined } & Record<string, unknown>>, await readJson(req));
  const { expectedRev, ...fields } = body;
  const { value, pokes } = await writeTx(deps.db, async (q, rec) => {
    const current = await findCaseByNumber(q, number);
    if (!current || current.unitId !== unitId) throw notYours();
    if (expectedRev !== undefined && current.rev !== expectedRev) {
      throw new HttpError(409, 'conflict', `case ${number} changed since you saw it (revision ${expectedRev} → ${current.rev})`);
    }
    try {
      const step = { action: stepName.data, ...fields } as Parameters<typeof takeStep>[4];
      return await takeStep(q, rec, deps.ref, current, step, { at: Date.now(), actor: { kind: 'unit', id: unitId, station: unitId } });
    } catch (error) {
      if (error instanceof StepRefused) throw new HttpError(STEP_STATUS[error.code], error.code, error.message);
      throw error;
    }
  });
  deps.poke(pokes);
  deps.log.info('unit step', { unitId, number, step: stepName.data });
  sendJson(res, 200, { case: toUnitCase(value, deps.ref, Date.now(), unitHolds(value, unitId)) });
  return true;
}
