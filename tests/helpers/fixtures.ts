import crypto from 'node:crypto';
import { freshLifecycle, INTAKE_DEFAULTS, type CaseRecord } from '../../src/shared/domain/case';
import type { MutationArgsOf } from '../../src/shared/sync/mutations';

/** createCase arguments as a workstation makes them. */
export function createCaseArgs(station: string, n: number, overrides: Partial<MutationArgsOf<'createCase'>> = {}): MutationArgsOf<'createCase'> {
  return {
    id: crypto.randomUUID(),
    number: `${station}-${String(n).padStart(6, '0')}`,
    createdAt: 1_750_000_000_000 + n * 1000,
    callerPhone: '13800138000',
    callerName: '王先生',
    categoryCode: 'noise.residential',
    address: '朝阳区建国路 88 号',
    description: `夜间施工噪音扰民 #${n}`,
    answers: {},
    ...INTAKE_DEFAULTS,
    ...overrides,
  };
}

/** A case as the server confirms it. */
export function caseRecord(overrides: Partial<CaseRecord> = {}): CaseRecord {
  return {
    ...freshLifecycle(),
    id: crypto.randomUUID(),
    number: 'S0009-000001',
    status: 'registered',
    channel: 'phone',
    callerPhone: '13900139000',
    callerName: '',
    categoryCode: 'utility.heating',
    address: '海淀区中关村大街 1 号',
    description: '暖气不热，室温低于 16 度',
    createdBy: 'someone-else',
    team: 'team-a',
    station: 'S0009',
    createdAt: 1_750_000_000_000,
    updatedAt: 1_750_000_000_000,
    // As the server registers it: whoever created the case holds it, at revision 1.
    assignee: overrides.createdBy ?? 'someone-else',
    rev: 1,
    ...overrides,
  };
}
