import crypto from 'node:crypto';
import type { Database } from '../db/driver';
import type { Poke } from '../../shared/sync/protocol';
import { formatCaseNumber, INTAKE_DEFAULTS, registeredCase, type CaseRecord } from '../../shared/domain/case';
import type { ReferenceSet } from '../reference/reference-set';
import { writeTx } from '../lifecycle/write';
import { takeStep } from '../lifecycle/steps';
import { insertCase } from '../store/cases';
import { timeOrderedUuid } from '../../shared/ids';
import { stationCodeFor } from '../store/stations';
import { insertOpen311Request, nextOpen311Seq } from '../store/open311';
import { OPEN311_ACTOR, OPEN311_STATION_KEY, type Open311Config } from './config';
import type { Submission } from './submission';

export interface Created {
  record: CaseRecord;
  token: string;
}

/**
 * Registers a submitted request as an `open311` case numbered from the server's own station, and
 * dispatches it at once to the unit the router ranks first, exactly as an operator's dispatch
 * would (same deadlines, same timeline). When the router can only offer the city fallback (the
 * place is unknown), it stays registered for an operator.
 */
export async function createRequest(
  db: Database,
  ref: ReferenceSet,
  config: Open311Config,
  sub: Submission,
  clientKey: string,
  now = Date.now(),
): Promise<{ value: Created; pokes: Poke[] }> {
  return writeTx(db, async (q, rec) => {
    const station = await stationCodeFor(q, OPEN311_STATION_KEY);
    const number = formatCaseNumber(station, await nextOpen311Seq(q));
    const record = registeredCase(
      {
        id: timeOrderedUuid(),
        number,
        callerPhone: sub.callerPhone,
        callerName: sub.callerName,
        categoryCode: sub.category.code,
        address: sub.address,
        description: sub.description,
        answers: sub.answers,
        // GeoReport v2 has no field for the contact type, urgency or language: the common case.
        ...INTAKE_DEFAULTS,
      },
      {
        channel: 'open311',
        createdBy: config.serviceUserId,
        team: config.team,
        station,
        createdAt: now,
        at: now,
        assignee: null,
        slaClass: sub.category.slaClass,
        dispatchBy: ref.dispatchBy(INTAKE_DEFAULTS.urgency, now),
        districtCode: sub.where.districtCode,
        streetCode: sub.where.streetCode,
        actor: OPEN311_ACTOR,
        // The attribute answers travel with the case so the workstation shows them.
        eventData: { client: clientKey, answers: sub.answers },
      },
    );
    await insertCase(q, rec, record);
    const token = crypto.randomUUID();
    await insertOpen311Request(q, {
      token,
      caseId: record.id,
      clientKey,
      createdAt: now,
      lat: sub.lat,
      lon: sub.lon,
      addressId: sub.addressId,
      mediaUrl: sub.mediaUrl,
      attributes: sub.answers,
      contact: sub.contact,
    });
    const top = ref.suggest(record.categoryCode, sub.where)[0];
    // Only the city fallback (the manual-dispatch desk) fits when the place is unknown: then the
    // case waits, registered, in the team's queue for an operator to place and dispatch it.
    if (!top || top.reasonCode === 'city_fallback') return { record, token };
    const note = `Open311: ${top.reason.zh}`;
    const dispatched = await takeStep(q, rec, ref, record, { action: 'dispatch', unitId: top.unitId, note }, { at: now, actor: OPEN311_ACTOR });
    return { record: dispatched, token };
  });
}
