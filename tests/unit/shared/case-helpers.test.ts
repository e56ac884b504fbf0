import { describe, expect, it } from 'vitest';
import { reassigned } from '../../../src/shared/domain/assignment';
import { caseDetailJson, caseFromColumns, CaseRecord, freshLifecycle, registeredCase, type Registration } from '../../../src/shared/domain/case';
import { CASE_COLUMNS, caseColumnsOf, fromColumn, toColumn, type CaseColumn } from '../../../src/shared/domain/case-columns';
import { numberPrefix } from '../../../src/shared/domain/space';
import { caseRecord } from '../../helpers/fixtures';

const T0 = 1_750_000_000_000;
const column = (name: string): CaseColumn => {
  const c = CASE_COLUMNS.find((x) => x.column === name);
  if (!c) throw new Error(`no column ${name}`);
  return c;
};

describe('reassigned', () => {
  it('the new holder, rev + 1, updatedAt and a reassigned event from → to', () => {
    const before = caseRecord({ assignee: 'op1', rev: 3, timeline: [] });
    expect(reassigned(before, 'lead1', { at: T0 + 1, actor: { id: 'lead2', station: 'S0002' } })).toEqual({
      ...before,
      assignee: 'lead1',
      rev: 4,
      updatedAt: T0 + 1,
      timeline: [{ at: T0 + 1, kind: 'reassigned', actor: 'lead2', actorKind: 'staff', station: 'S0002', note: null, data: { from: 'op1', to: 'lead1' } }],
    });
  });
});

describe('numberPrefix', () => {
  it('a practice case number starts with T, a live one keeps the station code', () => {
    expect(numberPrefix('training', 'S0001')).toBe('T0001');
    expect(numberPrefix('live', 'S0001')).toBe('S0001');
  });
});

describe('case columns', () => {
  it('the server keeps every column, the workstation only its local ones', () => {
    expect(caseColumnsOf('server')).toEqual(CASE_COLUMNS);
    const local = caseColumnsOf('local').map((c) => c.column);
    expect(local).toEqual(CASE_COLUMNS.filter((c) => c.local).map((c) => c.column));
    expect(local).toContain('id');
    expect(local).not.toContain('sla_class');
  });

  it('booleans are stored as 1/0 and read back from 1, true or "1"', () => {
    const confidential = column('confidential');
    expect(toColumn(confidential, caseRecord({ confidential: true }))).toBe(1);
    expect(toColumn(confidential, caseRecord({ confidential: false }))).toBe(0);
    expect(toColumn(column('number'), caseRecord({ number: 'S0009-000042' }))).toBe('S0009-000042');
    expect(toColumn(column('unit_id'), caseRecord({ unitId: null }))).toBeNull();
    for (const v of [1, true, '1']) expect(fromColumn(confidential, v)).toBe(true);
    for (const v of [0, false, '0', null, 2]) expect(fromColumn(confidential, v)).toBe(false);
    expect(fromColumn(column('rev'), 7)).toBe(7);
    expect(fromColumn(column('status'), 'closed')).toBe('closed');
  });
});

describe('a case row: columns and detail', () => {
  const record = caseRecord({ status: 'dispatched', unitId: 'bureau.housing', signBy: T0 + 1, timeline: [{ at: T0, kind: 'registered', actor: 'op1', actorKind: 'staff', station: 'S0001', note: null, data: {} }] });
  const keys = new Set(['id', 'number', 'status', 'rev']);

  it('the detail JSON holds every record field without a column, and only those', () => {
    const detail = JSON.parse(caseDetailJson(record, keys)) as Record<string, unknown>;
    expect(Object.keys(detail).sort()).toEqual(Object.keys(CaseRecord.shape).filter((k) => !keys.has(k)).sort());
    expect(detail).toMatchObject({ unitId: 'bureau.housing', signBy: T0 + 1, timeline: record.timeline });
  });

  it('columns over detail give the record back; without detail the columns alone must make a record', () => {
    const columns = { id: record.id, number: record.number, status: record.status, rev: record.rev };
    expect(caseFromColumns(columns, caseDetailJson(record, keys))).toEqual(record);
    expect(caseFromColumns({ ...columns, status: 'accepted' }, caseDetailJson(record, keys)).status).toBe('accepted');
    expect(caseFromColumns(JSON.parse(caseDetailJson(record, new Set())) as Record<string, unknown>, null)).toEqual(record);
    expect(() => caseFromColumns(columns, null)).toThrow();
  });
});

describe('freshLifecycle and registeredCase', () => {
  it('a fresh case has nothing on its timeline and no lifecycle facts', () => {
    const fresh = freshLifecycle();
    expect(fresh.timeline).toEqual([]);
    expect(fresh).toMatchObject({ unitId: null, dispatchCount: 0, reopenCount: 0, repeatCount: 0, callbackAttempts: 0, urgency: 'normal', contactType: 'complaint' });
  });

  const draft = {
    id: '00000000-0000-4000-8000-00000000000a',
    number: 'S0001-000042',
    callerPhone: '13800138000',
    callerName: '王先生',
    categoryCode: 'noise.residential',
    address: '朝阳区建国路 88 号',
    description: '夜间施工噪音扰民',
    answers: { floor: '3' },
    contactType: 'report' as const,
    urgency: 'urgent' as const,
    language: 'en' as const,
    interpreter: true,
    anonymous: false,
    confidential: true,
    callbackPhone: '13900139000',
    callbackWindow: { from: '18:00', to: '21:00' },
  };
  const reg: Registration = {
    channel: 'phone',
    createdBy: 'op1',
    team: 'team-a',
    station: 'S0001',
    createdAt: T0,
    at: T0 + 5,
    assignee: 'op1',
    slaClass: 'general',
    districtCode: '110105',
    streetCode: '110105001',
    dispatchBy: T0 + 30 * 60_000,
    actor: { id: 'op1', kind: 'staff', station: 'S0001' },
    eventData: { draftId: 'd1' },
  };

  it('a registered case: the draft, the registration, rev 1 and its first event', () => {
    expect(registeredCase(draft, reg)).toEqual({
      ...freshLifecycle(),
      ...draft,
      status: 'registered',
      channel: 'phone',
      createdBy: 'op1',
      team: 'team-a',
      station: 'S0001',
      createdAt: T0,
      updatedAt: T0 + 5,
      assignee: 'op1',
      rev: 1,
      slaClass: 'general',
      districtCode: '110105',
      streetCode: '110105001',
      dispatchBy: T0 + 30 * 60_000,
      timeline: [{ at: T0 + 5, kind: 'registered', actor: 'op1', actorKind: 'staff', station: 'S0001', note: null, data: { channel: 'phone', draftId: 'd1' } }],
    });
    expect(CaseRecord.parse(registeredCase(draft, reg))).toEqual(registeredCase(draft, reg));
  });

  it('an anonymous caller’s name is never kept', () => {
    expect(registeredCase({ ...draft, anonymous: true }, reg).callerName).toBe('');
  });
});
