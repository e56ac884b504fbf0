import { describe, expect, it } from 'vitest';
import { CaseDraft, CaseNumber, CaseRecord, CaseView, PhoneNumber, StationCode, formatCaseNumber, freshLifecycle, INTAKE_DEFAULTS } from '../../../src/shared/domain/case';

const draft = {
  callerPhone: '13800138000',
  callerName: '张先生',
  categoryCode: 'noise.residential',
  address: '朝阳区建国路 88 号',
  description: '楼下工地夜间施工噪音扰民',
};

function fieldError(input: unknown, field: string): string | undefined {
  const result = CaseDraft.safeParse(input);
  if (result.success) return undefined;
  return result.error.issues.find((i) => i.path.join('.') === field)?.message;
}

describe('PhoneNumber', () => {
  it.each(['13800138000', '010-12345678', '010 1234 5678', '+86 138 0013 8000', '0755-12345678-123', '12345', '95598'])(
    'accepts %s',
    (phone) => {
      expect(PhoneNumber.safeParse(phone).success).toBe(true);
    },
  );

  it.each(['', '1234', 'call me', '138-0013-800a', '-13800138000', '13800138000-', '++8613800138000', '1'.repeat(25), '138_0013_8000'])(
    'refuses %j with phone_format',
    (phone) => {
      const result = PhoneNumber.safeParse(phone);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('phone_format');
    },
  );

  it('trims surrounding spaces before checking', () => {
    expect(PhoneNumber.parse('  13800138000 ')).toBe('13800138000');
  });
});

describe('CaseDraft', () => {
  it('accepts a complete draft and trims its text fields', () => {
    const parsed = CaseDraft.parse({ ...draft, address: `  ${draft.address}  `, description: `\n${draft.description} ` });
    // The intake record defaults to the common call: a complaint, normal urgency, in Chinese.
    expect(parsed).toEqual({ ...draft, answers: {}, ...INTAKE_DEFAULTS });
  });

  it('normalises a phone typed in full-width mode, with dots or brackets', () => {
    expect(CaseDraft.parse({ ...draft, callerPhone: '１３８００１３８０００' }).callerPhone).toBe('13800138000');
    expect(CaseDraft.parse({ ...draft, callerPhone: '138.0013.8000' }).callerPhone).toBe('138 0013 8000');
    expect(CaseDraft.parse({ ...draft, callerPhone: '（０１０）６５１２－３４５６' }).callerPhone).toBe('010 6512-3456');
    expect(CaseDraft.parse({ ...draft, callerPhone: '＋８６ １３８００１３８０００' }).callerPhone).toBe('+86 13800138000');
  });

  it('takes an empty number (an anonymous caller who withheld it); the workstation checks it is anonymous', () => {
    expect(CaseDraft.parse({ ...draft, callerPhone: '', anonymous: true }).callerPhone).toBe('');
  });

  it('checks the intake record fields', () => {
    expect(fieldError({ ...draft, urgency: 'panic' }, 'urgency')).toBeDefined();
    expect(fieldError({ ...draft, contactType: 'rant' }, 'contactType')).toBeDefined();
    expect(fieldError({ ...draft, language: 'xx' }, 'language')).toBeDefined();
    expect(CaseDraft.safeParse({ ...draft, callbackWindow: { from: '18:00', to: '21:00' } }).success).toBe(true);
    expect(CaseDraft.safeParse({ ...draft, callbackWindow: { from: '25:00', to: '21:00' } }).success).toBe(false);
    expect(CaseDraft.safeParse({ ...draft, callbackWindow: { from: '18:00', to: '18:00' } }).success).toBe(false);
    expect(CaseDraft.safeParse({ ...draft, callbackPhone: '１３９００１３９０００' }).data?.callbackPhone).toBe('13900139000');
  });

  it('defaults the caller name to empty', () => {
    const { callerName: _n, ...rest } = draft;
    expect(CaseDraft.parse(rest).callerName).toBe('');
  });

  it('requires a category', () => {
    expect(fieldError({ ...draft, categoryCode: '  ' }, 'categoryCode')).toBe('required');
    expect(fieldError({ ...draft, categoryCode: undefined }, 'categoryCode')).toBeDefined();
  });

  it('checks the phone', () => {
    expect(fieldError({ ...draft, callerPhone: 'unknown' }, 'callerPhone')).toBe('phone_format');
  });

  it('bounds the address length after trimming', () => {
    expect(fieldError({ ...draft, address: ' 街 ' }, 'address')).toBe('too_short');
    expect(fieldError({ ...draft, address: '街道' }, 'address')).toBeUndefined();
    expect(fieldError({ ...draft, address: 'a'.repeat(200) }, 'address')).toBeUndefined();
    expect(fieldError({ ...draft, address: 'a'.repeat(201) }, 'address')).toBe('too_long');
  });

  it('bounds the description length after trimming', () => {
    // Two characters make a complaint in Chinese (漏水: a leak); 路灯不亮 is a whole sentence.
    expect(fieldError({ ...draft, description: '  噪 ' }, 'description')).toBe('too_short');
    expect(fieldError({ ...draft, description: '漏水' }, 'description')).toBeUndefined();
    expect(fieldError({ ...draft, description: '路灯不亮' }, 'description')).toBeUndefined();
    expect(fieldError({ ...draft, description: 'x'.repeat(4000) }, 'description')).toBeUndefined();
    expect(fieldError({ ...draft, description: 'x'.repeat(4001) }, 'description')).toBe('too_long');
  });

  it('bounds the caller name', () => {
    expect(fieldError({ ...draft, callerName: 'n'.repeat(50) }, 'callerName')).toBeUndefined();
    expect(fieldError({ ...draft, callerName: 'n'.repeat(51) }, 'callerName')).toBeDefined();
  });
});

describe('case numbers and station codes', () => {
  it('formats <station>-<6-digit seq> that CaseNumber accepts', () => {
    expect(formatCaseNumber('S0001', 1)).toBe('S0001-000001');
    expect(formatCaseNumber('S0420', 123456)).toBe('S0420-123456');
    expect(CaseNumber.safeParse(formatCaseNumber('S0001', 42)).success).toBe(true);
  });

  it('keeps numbering past a station’s millionth case', () => {
    expect(CaseNumber.safeParse(formatCaseNumber('S0001', 1_000_000)).success).toBe(true);
  });

  it.each(['S0001-000001', 'S9999-999999', 'S0001-1000000'])('CaseNumber accepts %s', (n) => {
    expect(CaseNumber.safeParse(n).success).toBe(true);
  });

  it.each(['S001-000001', 's0001-000001', 'S0001-00001', 'S0001-0000000001', 'X0001-000001', 'S0001000001', ' S0001-000001', 'S0001-000001 '])(
    'CaseNumber refuses %j',
    (n) => {
      const result = CaseNumber.safeParse(n);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toBe('case_number_format');
    },
  );

  it('StationCode is S + 4 digits', () => {
    expect(StationCode.safeParse('S0001').success).toBe(true);
    expect(StationCode.safeParse('S01').success).toBe(false);
    expect(StationCode.safeParse('T0001').success).toBe(false);
  });
});

describe('CaseRecord and CaseView', () => {
  const record = {
    id: '6f9d7c1e-7a57-4b0e-9a38-6d1c2f0a9b11',
    number: 'S0001-000001',
    status: 'registered',
    channel: 'phone',
    callerPhone: '13800138000',
    callerName: '',
    categoryCode: 'noise.residential',
    address: 'addr',
    description: 'desc',
    createdBy: 'u1',
    team: 'team-a',
    station: 'S0001',
    createdAt: 1,
    updatedAt: 2,
    assignee: 'u1',
    rev: 1,
    ...freshLifecycle(),
  };

  it('fills the lifecycle fields of a record written before they existed', () => {
    const { timeline: _t, dispatchCount: _d, unitId: _u, ...old } = record;
    expect(CaseRecord.parse(old)).toEqual(record);
  });

  it('accepts a record and refuses unknown statuses, bad ids and bad stations', () => {
    expect(CaseRecord.parse(record)).toEqual(record);
    expect(CaseRecord.safeParse({ ...record, status: 'lost' }).success).toBe(false);
    expect(CaseRecord.safeParse({ ...record, id: 'case-1' }).success).toBe(false);
    expect(CaseRecord.safeParse({ ...record, station: 'ST1' }).success).toBe(false);
    expect(CaseRecord.safeParse({ ...record, channel: 'fax' }).success).toBe(false);
  });

  it('carries who holds the case (or nobody) and a positive integer revision', () => {
    expect(CaseRecord.parse({ ...record, assignee: null }).assignee).toBeNull();
    expect(CaseRecord.parse({ ...record, rev: 7 }).rev).toBe(7);
    const { assignee: _a, ...noAssignee } = record;
    expect(CaseRecord.safeParse(noAssignee).success).toBe(false);
    const { rev: _r, ...noRev } = record;
    expect(CaseRecord.safeParse(noRev).success).toBe(false);
    expect(CaseRecord.safeParse({ ...record, rev: 0 }).success).toBe(false);
    expect(CaseRecord.safeParse({ ...record, rev: 1.5 }).success).toBe(false);
  });

  it('a view adds the pending flag', () => {
    expect(CaseView.parse({ ...record, pending: true }).pending).toBe(true);
    expect(CaseView.safeParse(record).success).toBe(false);
  });
});
